// @vitest-environment jsdom
/** The analytics page with the API stubbed: what it asks for, and what it shows for each answer. */

import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Analytics } from "./Analytics";
import type { AnalyticsReport } from "./types";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// jsdom has no canvas: the charts draw nothing, their tables are what is checked here.
vi.mock("react-chartjs-2", () => ({ Bar: ({ children }: { children?: unknown }) => <canvas role="img">{children as string}</canvas> }));

const REPORT: AnalyticsReport = {
  first_day: "2026-12-01",
  last_day: "2026-12-02",
  timezone: "America/New_York",
  days: [
    { day: "2026-12-01", conversations: 2, orders: 2 },
    { day: "2026-12-02", conversations: 2, orders: 1 },
  ],
  orders: { conversations: 4, orders: 3, ordering_conversations: 3, conversion: 0.75, revenue: "65.49", average_order_value: "21.83" },
  top_items: [{ item: "pepperoni", label: "Pepperoni Pizza", quantity: 3, orders: 2, revenue: "38.00" }],
  top_options: [{ group: "Toppings", option: "Onions", excluded: true, quantity: 2, lines: 1 }],
  pace: { orders: 3, median_turns: 3, median_minutes: 6 },
  understanding: {
    turns: 14,
    not_understood: 2,
    share: 2 / 14,
    texts: [
      { text: "do you have halal", at: "2026-12-02T04:32:00Z", session_id: "s-late" },
      { text: "can i pay in bitcoin", at: "2026-12-02T15:01:00Z", session_id: "s-chat" },
    ],
  },
};

function json(body: unknown, status = 200) {
  return Promise.resolve({ ok: status < 400, status, statusText: "", json: async () => body });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the analytics page", () => {
  it("test_analytics_shows_the_figures_and_asks_again_for_a_new_range", async () => {
    const asked: string[] = [];
    vi.stubGlobal("fetch", (url: string) => {
      asked.push(url);
      return json(REPORT);
    });
    render(<Analytics onGone={() => {}} />);
    await screen.findByRole("heading", { name: "At a glance" });
    expect(asked[0]).toMatch(/^\/api\/v1\/staff\/analytics\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    expect(screen.getByText("75.0%")).toBeTruthy();
    expect(screen.getByText("$21.83")).toBeTruthy();
    const items = screen.getByRole("region", { name: "Top items" });
    expect(items.querySelector("table")?.textContent).toContain("Pepperoni Pizza32$38.00");
    expect(screen.getByRole("region", { name: "Top options" }).textContent).toContain("Toppings: NO Onions");
    const missed = screen.getAllByRole("listitem").map((li) => li.querySelector("q")?.textContent);
    expect(missed).toEqual(["can i pay in bitcoin", "do you have halal"]);

    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-11-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-11-07" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Show" })));
    expect(asked.at(-1)).toBe("/api/v1/staff/analytics?from=2026-11-01&to=2026-11-07");
  });

  it("test_analytics_refuses_a_reversed_range_without_asking", async () => {
    const asked: string[] = [];
    vi.stubGlobal("fetch", (url: string) => {
      asked.push(url);
      return json(REPORT);
    });
    render(<Analytics onGone={() => {}} />);
    await screen.findByRole("heading", { name: "At a glance" });
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-11-08" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-11-07" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Show" })));
    expect(screen.getByRole("alert").textContent).toContain("before the first");
    expect(asked).toHaveLength(1);
  });

  it("test_analytics_kitchen_reads_managers_only_and_a_404_signs_in_again", async () => {
    vi.stubGlobal("fetch", () => json({ detail: "Forbidden" }, 403));
    render(<Analytics onGone={() => {}} />);
    await screen.findByRole("heading", { name: "Managers only" });
    cleanup();

    const gone = vi.fn();
    vi.stubGlobal("fetch", () => json({ detail: "Not Found" }, 404));
    await act(async () => {
      render(<Analytics onGone={gone} />);
    });
    expect(gone).toHaveBeenCalledTimes(1);
  });
});
