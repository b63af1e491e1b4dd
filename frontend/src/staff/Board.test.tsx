// @vitest-environment jsdom
/** The board by keyboard: a move keeps the focus on the order, in its new column. */

import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { Board } from "./Board";
import type { BoardOrder, OrderStatus } from "./types";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function order(status: OrderStatus, next: OrderStatus[]): BoardOrder {
  return {
    number: "XKA3W",
    type: "pickup",
    status,
    placed_at: "2026-12-05T19:00:00Z",
    ready_at: "2026-12-05T19:25:00Z",
    address: null,
    customer: { first_name: "Ana", phone: "+1******0123" },
    lines: [{ quantity: 2, item: "pizza", label: "Pepperoni Pizza", options: ["Large"], text: "2 × Large Pepperoni Pizza — NO onions" }],
    total: "40.00",
    currency: "USD",
    next,
  };
}

function json(body: unknown, status = 200) {
  return Promise.resolve({ ok: status < 400, status, statusText: "", json: async () => body, text: async () => JSON.stringify(body) });
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the board by keyboard", () => {
  it("test_board_move_keeps_focus_on_the_order_in_its_new_column", async () => {
    const posted: unknown[] = [];
    vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
      if (url.endsWith("/staff/events")) return json({ detail: "Not Found" }, 404);
      if (init.method === "POST") {
        posted.push(JSON.parse(String(init.body)));
        return json(order("accepted", ["preparing"]));
      }
      return json({ orders: [order("placed", ["accepted", "rejected"])] });
    });
    render(<Board />);
    const ticket = await screen.findByRole("article", { name: /XKA3W/ });
    expect(ticket.textContent).toContain("2 × Large Pepperoni Pizza — NO onions");
    expect(ticket.textContent).toContain("Ana · +1******0123");

    const accept = screen.getByRole("button", { name: "Accept" });
    accept.focus();
    await act(async () => fireEvent.click(accept));
    expect(posted).toEqual([{ status: "accepted" }]);
    const moved = await screen.findByRole("button", { name: "Start preparing" });
    const column = screen.getByRole("region", { name: /Accepted/ });
    await waitFor(() => expect(document.activeElement?.getAttribute("data-order")).toBe("XKA3W"));
    expect(column.contains(document.activeElement)).toBe(true);
    expect(column.contains(moved)).toBe(true);
  });

  it("test_board_reject_asks_for_a_reason_first", async () => {
    const posted: unknown[] = [];
    vi.stubGlobal("fetch", (_url: string, init: RequestInit = {}) => {
      if (init.method === "POST") {
        posted.push(JSON.parse(String(init.body)));
        return json(order("rejected", []));
      }
      return json({ orders: [order("placed", ["accepted", "rejected"])] });
    });
    render(<Board />);
    fireEvent.click(await screen.findByRole("button", { name: "Reject…" }));
    const reason = screen.getByLabelText(/Reason/);
    expect(document.activeElement).toBe(reason);
    fireEvent.submit(reason.closest("form")!);
    expect(posted).toEqual([]); // no reason, no move
    fireEvent.change(reason, { target: { value: "Out of dough" } });
    await act(async () => fireEvent.submit(reason.closest("form")!));
    expect(posted).toEqual([{ status: "rejected", reason: "Out of dough" }]);
    await waitFor(() => expect(screen.queryByRole("article", { name: /XKA3W/ })).toBeNull());
    // The order left the board: the focus goes to the column it left.
    expect(document.activeElement?.id).toBe("column-placed");
  });
});

describe("the board when the session is no longer staff", () => {
  it("test_board_list_404_hands_back_to_sign_in", async () => {
    vi.stubGlobal("fetch", () => json({ detail: "Not Found" }, 404));
    const gone = vi.fn();
    render(<Board onGone={gone} />);
    await waitFor(() => expect(gone).toHaveBeenCalled());
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
