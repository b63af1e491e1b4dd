// @vitest-environment jsdom
/** The board's "Sold out and paused" panel: find, mark sold out and back; managers pause. */

import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { AvailabilityPanel, findRows } from "./Availability";
import type { Availability } from "./types";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function menu(): Availability {
  return {
    version: 3,
    ordering: { paused: false, message: null },
    items: [
      { key: "margherita_pizza", label: "Margherita Pizza", category: "pizzas", available: true },
      { key: "pumpkin_cheesecake", label: "Pumpkin Cheesecake", category: "desserts", available: false },
    ],
    options: [{ group: "toppings", group_label: "Toppings", key: "mushrooms", label: "Mushrooms", available: true }],
  };
}

function json(body: unknown, status = 200) {
  return Promise.resolve({ ok: status < 400, status, statusText: "", json: async () => body, text: async () => JSON.stringify(body) });
}

/** fetch answering as the API would; every write is kept in `sent`. */
function stubApi(sent: { method: string; url: string; body: unknown }[], status = 200) {
  vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    if (method === "GET") return json(menu());
    const body = JSON.parse(String(init.body));
    sent.push({ method, url, body });
    if (status !== 200) return json({ detail: "Only a manager member may do that." }, status);
    if (url.includes("/items/")) return json({ ...menu().items[0], ...body });
    if (url.includes("/options/")) return json({ ...menu().options[0], ...body });
    return json({ paused: body.paused, message: body.paused ? body.message : null });
  });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the sold-out panel", () => {
  it("lists what is sold out, finds a dish and marks it sold out and back", async () => {
    const sent: { method: string; url: string; body: unknown }[] = [];
    stubApi(sent);
    render(<AvailabilityPanel role="kitchen" />);
    // With no search: what is sold out now.
    const list = await screen.findByRole("list", { name: "Sold out now" });
    expect(list.textContent).toContain("Pumpkin Cheesecake");
    expect(list.textContent).not.toContain("Margherita");

    fireEvent.change(screen.getByLabelText("Find a dish or an option"), { target: { value: "marg" } });
    const mark = screen.getByRole("button", { name: "Mark Margherita Pizza sold out" });
    await act(async () => fireEvent.click(mark));
    expect(sent).toEqual([{ method: "PATCH", url: "/api/v1/staff/menu/items/margherita_pizza", body: { available: false } }]);
    expect(screen.getByRole("status").textContent).toBe("Margherita Pizza marked sold out.");
    const back = screen.getByRole("button", { name: "Mark Margherita Pizza available" });
    expect(back.closest("li")!.textContent).toContain("Sold out");
    await act(async () => fireEvent.click(back));
    expect(sent[1].body).toEqual({ available: true });
    expect(screen.getByRole("button", { name: "Mark Margherita Pizza sold out" })).toBeTruthy();
  });

  it("marks an option of a group sold out", async () => {
    const sent: { method: string; url: string; body: unknown }[] = [];
    stubApi(sent);
    render(<AvailabilityPanel role="kitchen" />);
    await screen.findByRole("list", { name: "Sold out now" });
    fireEvent.change(screen.getByLabelText("Find a dish or an option"), { target: { value: "mushroom" } });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Mark Toppings: Mushrooms sold out" })));
    expect(sent[0].url).toBe("/api/v1/staff/menu/groups/toppings/options/mushrooms");
  });

  it("lets a manager pause with a message and resume; the kitchen only reads it", async () => {
    const sent: { method: string; url: string; body: unknown }[] = [];
    stubApi(sent);
    const { unmount } = render(<AvailabilityPanel role="kitchen" />);
    expect(await screen.findByText("Taking new orders.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Pause new orders" })).toBeNull();
    unmount();

    render(<AvailabilityPanel role="manager" />);
    fireEvent.change(await screen.findByLabelText("Message for customers"), {
      target: { value: "kitchen full, back in 20 minutes" },
    });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Pause new orders" })));
    expect(sent[0]).toEqual({
      method: "PUT",
      url: "/api/v1/staff/ordering",
      body: { paused: true, message: "kitchen full, back in 20 minutes" },
    });
    expect(screen.getByText("New orders are paused: “kitchen full, back in 20 minutes”")).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Resume orders" })));
    expect(sent[1].body).toEqual({ paused: false });
    expect(screen.getByText("Taking new orders.")).toBeTruthy();
  });

  it("shows the API's refusal", async () => {
    stubApi([], 403);
    render(<AvailabilityPanel role="manager" />);
    const pause = await screen.findByRole("button", { name: "Pause new orders" });
    await act(async () => fireEvent.click(pause));
    expect(screen.getByRole("alert").textContent).toContain("Only a manager");
  });

  it("finds by every word, any case", () => {
    const rows = [
      { id: "a", name: "Toppings: Mushrooms", kind: "Option", available: true },
      { id: "b", name: "Margherita Pizza", kind: "Dish", available: false },
    ];
    expect(findRows(rows, "").map((r) => r.id)).toEqual(["b"]);
    expect(findRows(rows, "TOPP mush").map((r) => r.id)).toEqual(["a"]);
    expect(findRows(rows, "pizza mush")).toEqual([]);
  });
});
