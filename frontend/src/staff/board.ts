/**
 * The board's state: (state, action) -> state, pure, as the chat's reducer is.
 *
 * The board holds the open orders. A full list (on load, on every catch-up after a reconnect, or
 * every 5 s while there is no live feed) replaces them; a single order (a move's answer or a live
 * event) updates one. An order the board has not seen before, arriving in `placed` after the
 * first list, is new: it is alerted (seen, heard, announced) until someone acknowledges it.
 */

import { clock, money } from "../format";
import type { BoardOrder, OrderStatus, OrderType } from "./types";

/** The board's columns, left to right: where an open order can be. */
export const COLUMNS: readonly { status: OrderStatus; title: string }[] = [
  { status: "placed", title: "New" },
  { status: "accepted", title: "Accepted" },
  { status: "preparing", title: "Preparing" },
  { status: "ready", title: "Ready" },
  { status: "out_for_delivery", title: "Out for delivery" },
];

/** Statuses an order never leaves: it leaves the board. */
const FINAL: ReadonlySet<OrderStatus> = new Set(["collected", "delivered", "served", "rejected", "cancelled"]);

/** The words of a move's button. */
export const MOVE_LABEL: Record<OrderStatus, string> = {
  placed: "Placed",
  accepted: "Accept",
  preparing: "Start preparing",
  ready: "Mark ready",
  out_for_delivery: "Out for delivery",
  collected: "Collected",
  delivered: "Delivered",
  served: "Served",
  rejected: "Reject",
  cancelled: "Cancel",
};

export const TYPE_LABEL: Record<OrderType, string> = { pickup: "Pickup", delivery: "Delivery", dine_in: "Dine-in" };

/** How the board hears of changes. */
export type FeedMode = "connecting" | "live" | "reconnecting" | "polling";

export interface BoardState {
  orders: BoardOrder[];
  /** Whether the first list has come: orders in it are not "new". */
  loaded: boolean;
  /** Every order number the board has shown. */
  seen: ReadonlySet<string>;
  /** New orders not yet acknowledged, newest first. */
  fresh: string[];
  /** The latest words for screen readers (an aria-live region reads them). */
  announcement: string;
  problem: string | null;
  feed: FeedMode;
}

export const initialBoard: BoardState = {
  orders: [],
  loaded: false,
  seen: new Set(),
  fresh: [],
  announcement: "",
  problem: null,
  feed: "connecting",
};

export type BoardAction =
  | { type: "listed"; orders: BoardOrder[] }
  | { type: "changed"; order: BoardOrder }
  | { type: "acknowledged"; number?: string }
  | { type: "problem"; message: string | null }
  | { type: "feed"; mode: FeedMode };

export function isOpen(order: BoardOrder): boolean {
  return !FINAL.has(order.status);
}

function itemCount(order: BoardOrder): number {
  return order.lines.reduce((n, line) => n + line.quantity, 0);
}

/** "New order #XKA3W: pickup, 3 items, for Ana." */
export function newOrderText(orders: BoardOrder[]): string {
  if (!orders.length) return "";
  if (orders.length > 1) return `${orders.length} new orders: ${orders.map((o) => `#${o.number}`).join(", ")}.`;
  const [order] = orders;
  const count = itemCount(order);
  const who = order.customer.first_name ? `, for ${order.customer.first_name}` : "";
  return `New order #${order.number}: ${TYPE_LABEL[order.type] ?? order.type}, ${count} ${count === 1 ? "item" : "items"}${who}.`;
}

/** Orders that are new to a loaded board: unseen, and waiting to be accepted. */
function arrivals(state: BoardState, orders: BoardOrder[]): BoardOrder[] {
  if (!state.loaded) return [];
  return orders.filter((o) => !state.seen.has(o.number) && o.status === "placed");
}

function withArrivals(state: BoardState, orders: BoardOrder[], incoming: BoardOrder[]): BoardState {
  const fresh = arrivals(state, incoming).sort(byNewest);
  // Copied only when something is new (a list read again is mostly the orders already seen).
  let seen = state.seen;
  for (const order of incoming) {
    if (seen.has(order.number)) continue;
    if (seen === state.seen) seen = new Set(seen);
    (seen as Set<string>).add(order.number);
  }
  const onBoard = new Set(orders.map((o) => o.number));
  const newest = fresh.map((o) => o.number);
  return {
    ...state,
    orders,
    loaded: true,
    seen,
    fresh: [...newest, ...state.fresh.filter((n) => !newest.includes(n))].filter((n) => onBoard.has(n)),
    announcement: fresh.length ? newOrderText(fresh) : state.announcement,
  };
}

export function reduceBoard(state: BoardState, action: BoardAction): BoardState {
  switch (action.type) {
    case "listed": {
      const open = unchangedKept(state.orders, action.orders.filter(isOpen));
      // Nothing changed (the list read again when the live feed opens): the same state, so that
      // React draws nothing again.
      if (state.loaded && open === state.orders) return state;
      return { ...withArrivals(state, open, open), problem: state.loaded ? state.problem : null };
    }
    case "changed": {
      const order = action.order;
      const others = state.orders.filter((o) => o.number !== order.number);
      const orders = isOpen(order) ? [order, ...others] : others;
      return withArrivals(state, orders, [order]);
    }
    case "acknowledged":
      return { ...state, fresh: action.number ? state.fresh.filter((n) => n !== action.number) : [] };
    case "problem":
      return { ...state, problem: action.message };
    case "feed":
      return state.feed === action.mode ? state : { ...state, feed: action.mode };
  }
}

/**
 * A list read again, with the orders that did not change kept as they were (the same objects, and
 * the same array if nothing changed): their tickets are not drawn again.
 */
export function unchangedKept(before: readonly BoardOrder[], listed: BoardOrder[]): BoardOrder[] {
  const known = new Map(before.map((o) => [o.number, o]));
  let same = before.length === listed.length;
  const kept = listed.map((order, index) => {
    const old = known.get(order.number);
    const keep = old !== undefined && sameJson(old, order);
    same &&= keep && before[index] === old;
    return keep ? old : order;
  });
  return same ? (before as BoardOrder[]) : kept;
}

/** Whether two values read from JSON are the same (what comparing their JSON texts would say, up
 * to the order of keys), without writing them out. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key])) return false;
  return true;
}

function byNewest(a: BoardOrder, b: BoardOrder): number {
  return Date.parse(b.placed_at) - Date.parse(a.placed_at) || b.number.localeCompare(a.number);
}

/** The orders of each column, newest at the top. */
export function columns(orders: readonly BoardOrder[]): Map<OrderStatus, BoardOrder[]> {
  const byStatus = new Map<OrderStatus, BoardOrder[]>(COLUMNS.map((c) => [c.status, []]));
  // Each order's time read once, not twice in every comparison of the sort.
  const placed = new Map<BoardOrder, number>();
  for (const order of orders) {
    const list = byStatus.get(order.status);
    if (!list) continue;
    list.push(order);
    placed.set(order, Date.parse(order.placed_at));
  }
  for (const list of byStatus.values()) {
    list.sort((a, b) => placed.get(b)! - placed.get(a)! || b.number.localeCompare(a.number));
  }
  return byStatus;
}

/** A ticket's words, each a single text on the page. */
export interface TicketText {
  /** "#XKA3W" */
  title: string;
  /** "Pickup" */
  type: string;
  /** "Ana · +1******0123" */
  who: string;
  /** "Placed 7:45 PM", with " · " after it when there is a promised time. */
  placed: string;
  /** "Promised 8:05 PM", or "" */
  promised: string;
  /** "Deliver to ...", or "" */
  address: string;
  /** The item lines as the kitchen reads them, one a line ("\n" between). */
  lines: string;
  total: string;
}

const ticketTexts = new WeakMap<BoardOrder, TicketText>();

/** A ticket's words, worked out once per order (a list read again keeps unchanged orders). */
export function ticketText(order: BoardOrder): TicketText {
  let text = ticketTexts.get(order);
  if (text) return text;
  const promised = clock(order.ready_at);
  text = {
    title: `#${order.number}`,
    type: TYPE_LABEL[order.type] ?? order.type,
    who: `${order.customer.first_name ?? "Guest"} · ${order.customer.phone}`,
    placed: `Placed ${clock(order.placed_at)}${promised ? " · " : ""}`,
    promised: promised ? `Promised ${promised}` : "",
    address: order.address ? `Deliver to ${order.address}` : "",
    lines: order.lines.map((line) => line.text).join("\n"),
    total: money(order.total, order.currency),
  };
  ticketTexts.set(order, text);
  return text;
}

/**
 * The order a live event carries, if it carries one: `{"order": {...}}` or the order itself.
 * Anything else (another shape, a bare "something changed") makes the board re-read its list.
 */
export function orderFromEvent(data: string): BoardOrder | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  const candidate = value && typeof value === "object" && "order" in value ? (value as { order: unknown }).order : value;
  if (!candidate || typeof candidate !== "object") return null;
  const order = candidate as Partial<BoardOrder>;
  const complete =
    typeof order.number === "string" &&
    typeof order.status === "string" &&
    Array.isArray(order.lines) &&
    Array.isArray(order.next) &&
    typeof order.customer === "object" &&
    order.customer !== null;
  return complete ? (order as BoardOrder) : null;
}

/** "19:45" for an ISO time, on this browser's clock (what a time input shows). */
export function timeInputValue(iso: string | null, fallback: Date): string {
  const date = iso ? new Date(iso) : fallback;
  const at = Number.isNaN(date.getTime()) ? fallback : date;
  return `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
}

/**
 * The promised time for a time input's "HH:MM": today on this browser's clock, or tomorrow when
 * that has passed (the service takes a time within the next 24 hours). Null when unreadable.
 */
export function readyAtFrom(value: string, now: Date): string | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 23 || minutes > 59) return null;
  const at = new Date(now);
  at.setHours(hours, minutes, 0, 0);
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
  return at.toISOString();
}
