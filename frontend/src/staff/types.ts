/**
 * The staff REST API's shapes, written by hand from src/restaurant/api/staff.py and
 * src/restaurant/services/board.py (the staff API is REST, not the chat's generated wire).
 */

export type OrderStatus =
  | "placed"
  | "accepted"
  | "preparing"
  | "ready"
  | "out_for_delivery"
  | "collected"
  | "delivered"
  | "served"
  | "rejected"
  | "cancelled";

export type OrderType = "pickup" | "delivery" | "dine_in";

export type StaffRole = "kitchen" | "manager";

/** `GET /api/v1/staff/me`. */
export interface StaffMember {
  phone: string;
  name: string;
  role: StaffRole;
}

/** One line as the kitchen reads it: "2 × Large Pepperoni Pizza — extra cheese, NO onions". */
export interface BoardLine {
  quantity: number;
  item: string;
  label: string;
  options: string[];
  text: string;
}

/** An order on the board (`BoardOrder`). */
export interface BoardOrder {
  number: string;
  type: OrderType;
  status: OrderStatus;
  placed_at: string;
  /** The time promised to the customer. */
  ready_at: string | null;
  address: string | null;
  customer: { first_name: string | null; phone: string };
  lines: BoardLine[];
  total: string;
  currency: string;
  /** The moves staff may make from here. */
  next: OrderStatus[];
}

/** `GET /api/v1/staff/orders`. */
export interface BoardList {
  orders: BoardOrder[];
}

/** `POST /api/v1/staff/orders/{number}/status`. */
export interface StatusChange {
  status: OrderStatus;
  reason?: string;
  ready_at?: string;
}

/** The longest reason a rejection may give (MAX_REASON in services/lifecycle.py). */
export const MAX_REASON = 500;

/**
 * `GET /api/v1/staff/analytics?from=...&to=...` (managers), from `Analytics` in
 * src/restaurant/services/analytics.py. Money is a decimal, as text (a number is read too).
 */
export interface AnalyticsReport {
  first_day: string;
  last_day: string;
  timezone: string;
  days: { day: string; conversations: number; orders: number }[];
  orders: {
    conversations: number;
    orders: number;
    ordering_conversations: number;
    conversion: number;
    revenue: string | number;
    average_order_value: string | number | null;
  };
  top_items: { item: string; label: string; quantity: number; orders: number; revenue: string | number }[];
  top_options: { group: string; option: string; excluded: boolean; quantity: number; lines: number }[];
  pace: { orders: number; median_turns: number | null; median_minutes: number | null };
  understanding: {
    turns: number;
    not_understood: number;
    share: number;
    texts: { text: string; at: string; session_id: string }[];
  };
}

/** `GET /api/v1/staff/menu`: what can be ordered (services/availability.py). */
export interface ItemAvailability {
  key: string;
  label: string;
  category: string;
  available: boolean;
}

export interface OptionAvailability {
  group: string;
  group_label: string;
  key: string;
  label: string;
  available: boolean;
}

/** Whether new orders are taken; while paused, what customers are told. */
export interface Ordering {
  paused: boolean;
  message: string | null;
}

export interface Availability {
  version: number;
  ordering: Ordering;
  items: ItemAvailability[];
  options: OptionAvailability[];
}
