import { describe, expect, it } from "vitest";

import {
  columns,
  initialBoard,
  newOrderText,
  orderFromEvent,
  readyAtFrom,
  reduceBoard,
  sameJson,
  timeInputValue,
  unchangedKept,
  type BoardAction,
  type BoardState,
} from "./board";
import type { BoardOrder, OrderStatus } from "./types";

function order(number: string, status: OrderStatus = "placed", fields: Partial<BoardOrder> = {}): BoardOrder {
  return {
    number,
    type: "pickup",
    status,
    placed_at: "2026-12-05T19:00:00Z",
    ready_at: "2026-12-05T19:25:00Z",
    address: null,
    customer: { first_name: "Ana", phone: "+1******0123" },
    lines: [{ quantity: 2, item: "pepperoni_pizza", label: "Pepperoni Pizza", options: ["Large"], text: "2 × Large Pepperoni Pizza" }],
    total: "40.00",
    currency: "USD",
    next: status === "placed" ? ["accepted", "rejected"] : ["preparing"],
    ...fields,
  };
}

function run(actions: BoardAction[], state: BoardState = initialBoard): BoardState {
  return actions.reduce(reduceBoard, state);
}

describe("the board's orders", () => {
  it("test_board_first_list_alerts_nothing", () => {
    const state = run([{ type: "listed", orders: [order("A1"), order("B2", "accepted")] }]);
    expect(state.loaded).toBe(true);
    expect(state.orders.map((o) => o.number)).toEqual(["A1", "B2"]);
    expect(state.fresh).toEqual([]);
    expect(state.announcement).toBe("");
  });

  it("test_board_an_unseen_placed_order_is_new_and_announced", () => {
    const state = run([
      { type: "listed", orders: [order("A1")] },
      { type: "listed", orders: [order("A1"), order("C3", "placed", { placed_at: "2026-12-05T19:05:00Z" })] },
    ]);
    expect(state.fresh).toEqual(["C3"]);
    expect(state.announcement).toBe("New order #C3: Pickup, 2 items, for Ana.");
  });

  it("test_board_a_live_event_adds_a_new_order_once", () => {
    const loaded = run([{ type: "listed", orders: [] }]);
    const once = reduceBoard(loaded, { type: "changed", order: order("D4") });
    expect(once.fresh).toEqual(["D4"]);
    // The list read after it (a catch-up) has it too: still one alert, not two.
    const again = reduceBoard(once, { type: "listed", orders: [order("D4")] });
    expect(again.fresh).toEqual(["D4"]);
    expect(again.orders).toHaveLength(1);
  });

  it("test_board_orders_seen_before_loading_are_not_new", () => {
    const state = run([
      { type: "changed", order: order("E5") },
      { type: "listed", orders: [order("E5")] },
    ]);
    expect(state.fresh).toEqual([]);
  });

  it("test_board_a_moved_order_changes_column_and_stops_alerting_when_acknowledged", () => {
    let state = run([
      { type: "listed", orders: [] },
      { type: "changed", order: order("F6") },
    ]);
    state = reduceBoard(state, { type: "acknowledged", number: "F6" });
    state = reduceBoard(state, { type: "changed", order: order("F6", "accepted") });
    expect(state.fresh).toEqual([]);
    expect(columns(state.orders).get("accepted")?.map((o) => o.number)).toEqual(["F6"]);
    expect(columns(state.orders).get("placed")).toEqual([]);
  });

  it("test_board_an_order_that_ends_leaves_the_board_and_its_alert", () => {
    let state = run([
      { type: "listed", orders: [] },
      { type: "changed", order: order("G7") },
    ]);
    state = reduceBoard(state, { type: "changed", order: order("G7", "rejected", { next: [] }) });
    expect(state.orders).toEqual([]);
    expect(state.fresh).toEqual([]);
    state = reduceBoard(state, { type: "listed", orders: [order("H8", "collected", { next: [] })] });
    expect(state.orders).toEqual([]);
  });

  it("test_board_several_new_orders_newest_first", () => {
    const state = run([
      { type: "listed", orders: [] },
      {
        type: "listed",
        orders: [order("J1", "placed", { placed_at: "2026-12-05T19:01:00Z" }), order("J2", "placed", { placed_at: "2026-12-05T19:02:00Z" })],
      },
    ]);
    expect(state.fresh).toEqual(["J2", "J1"]);
    expect(state.announcement).toBe("2 new orders: #J2, #J1.");
    expect(reduceBoard(state, { type: "acknowledged" }).fresh).toEqual([]);
  });

  it("test_board_columns_put_the_newest_at_the_top", () => {
    const byColumn = columns([
      order("K1", "placed", { placed_at: "2026-12-05T19:01:00Z" }),
      order("K3", "placed", { placed_at: "2026-12-05T19:03:00Z" }),
      order("K2", "preparing", { placed_at: "2026-12-05T19:02:00Z" }),
    ]);
    expect(byColumn.get("placed")?.map((o) => o.number)).toEqual(["K3", "K1"]);
    expect(byColumn.get("preparing")?.map((o) => o.number)).toEqual(["K2"]);
    expect([...byColumn.keys()]).toEqual(["placed", "accepted", "preparing", "ready", "out_for_delivery"]);
  });

  it("test_board_a_problem_stays_until_dismissed", () => {
    let state = run([{ type: "listed", orders: [] }, { type: "problem", message: "Order #A1: it was cancelled" }]);
    state = reduceBoard(state, { type: "listed", orders: [] });
    expect(state.problem).toBe("Order #A1: it was cancelled");
    expect(reduceBoard(state, { type: "problem", message: null }).problem).toBeNull();
  });
});

describe("the board's helpers", () => {
  it("test_new_order_text_without_a_name", () => {
    expect(newOrderText([order("L1", "placed", { type: "delivery", customer: { first_name: null, phone: "+1******0123" } })])).toBe(
      "New order #L1: Delivery, 2 items.",
    );
  });

  it("test_order_from_event_reads_an_order_or_nothing", () => {
    expect(orderFromEvent(JSON.stringify({ order: order("M1") }))?.number).toBe("M1");
    expect(orderFromEvent(JSON.stringify(order("M2", "ready")))?.status).toBe("ready");
    expect(orderFromEvent(JSON.stringify({ number: "M3", status: "placed" }))).toBeNull();
    expect(orderFromEvent("changed")).toBeNull();
    expect(orderFromEvent("null")).toBeNull();
  });

  it("test_ready_at_is_today_or_tomorrow_on_this_clock", () => {
    const now = new Date(2026, 11, 5, 19, 0);
    expect(new Date(readyAtFrom("19:45", now)!).getTime()).toBe(new Date(2026, 11, 5, 19, 45).getTime());
    expect(new Date(readyAtFrom("0:15", now)!).getTime()).toBe(new Date(2026, 11, 6, 0, 15).getTime());
    expect(readyAtFrom("25:00", now)).toBeNull();
    expect(readyAtFrom("soon", now)).toBeNull();
    expect(timeInputValue(new Date(2026, 11, 5, 7, 5).toISOString(), now)).toBe("07:05");
    expect(timeInputValue(null, now)).toBe("19:00");
  });
});

describe("a list read again", () => {
  it("test_board_relisted_orders_keep_the_unchanged_ones", () => {
    const first = run([{ type: "listed", orders: [order("A1"), order("B2", "accepted")] }]);
    const again = reduceBoard(first, { type: "listed", orders: [order("A1"), order("B2", "preparing")] });
    expect(again.orders[0]).toBe(first.orders[0]);
    expect(again.orders[1]).not.toBe(first.orders[1]);
    expect(again.orders[1].status).toBe("preparing");
  });

  it("test_board_relisted_same_orders_keep_the_list", () => {
    const first = run([{ type: "listed", orders: [order("A1"), order("B2", "accepted")] }]);
    const again = reduceBoard(first, { type: "listed", orders: [order("A1"), order("B2", "accepted")] });
    expect(again.orders).toBe(first.orders);
  });

  it("test_board_relisted_in_another_order_is_a_new_list", () => {
    const [a, b] = [order("A1"), order("B2")];
    const kept = unchangedKept([a, b], [order("B2"), order("A1")]);
    expect(kept).not.toBe([a, b]);
    expect(kept[0]).toBe(b);
    expect(kept[1]).toBe(a);
  });

  it("test_board_a_list_read_again_unchanged_keeps_the_state", () => {
    const loaded = run([{ type: "listed", orders: [order("A1"), order("B2", "accepted")] }]);
    const again = reduceBoard(loaded, { type: "listed", orders: [order("A1"), order("B2", "accepted")] });
    expect(again).toBe(loaded);
    const moved = reduceBoard(loaded, { type: "listed", orders: [order("A1"), order("B2", "preparing")] });
    expect(moved).not.toBe(loaded);
    expect(moved.orders[0]).toBe(loaded.orders[0]);
    expect(moved.seen).toBe(loaded.seen);
  });

  it("test_same_json_says_what_comparing_the_json_texts_says", () => {
    expect(sameJson(order("A1"), order("A1"))).toBe(true);
    expect(sameJson({ a: 1, b: [1, "x", null] }, { b: [1, "x", null], a: 1 })).toBe(true);
    expect(sameJson(order("A1"), order("A1", "placed", { ready_at: null }))).toBe(false);
    expect(sameJson(order("A1"), order("A1", "placed", { customer: { first_name: null, phone: "+1******0123" } }))).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [1, 2, 3] })).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
