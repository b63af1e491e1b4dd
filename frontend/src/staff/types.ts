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
