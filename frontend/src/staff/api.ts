/** The staff's REST calls: signing in with a phone code, who I am, the board's orders and moves. */

import { API, ApiError } from "../api";
import type {
  Availability,
  BoardList,
  BoardOrder,
  ItemAvailability,
  OptionAvailability,
  Ordering,
  StaffMember,
  StatusChange,
} from "./types";

/** A call's JSON answer; a problem detail's `detail` becomes the ApiError's message. */
async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${API}${path}`, {
    credentials: "same-origin",
    ...init,
    headers: { Accept: "application/json", ...(init.body ? { "Content-Type": "application/json" } : {}), ...init.headers },
  });
  if (!response.ok) {
    let detail = response.statusText || `HTTP ${response.status}`;
    try {
      const body = await response.json();
      detail = body.detail ?? body.title ?? detail;
    } catch {
      /* not JSON: keep the status text */
    }
    throw new ApiError(response.status, String(detail));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The signed-in staff member, or null when the session is not a staff member's (404). */
export async function staffMe(): Promise<StaffMember | null> {
  try {
    return await call<StaffMember>("/staff/me");
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Whether this browser has a session at all, and whether it signed in (`GET /api/v1/me`). */
export async function sessionState(): Promise<"none" | "anonymous" | "signed_in"> {
  try {
    const me = await call<{ signed_in: boolean }>("/me");
    return me.signed_in ? "signed_in" : "anonymous";
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 404)) return "none";
    throw error;
  }
}

/** A session to sign in on (the cookie), made when the browser has none. */
export async function ensureSession(): Promise<void> {
  if ((await sessionState()) === "none") await call("/sessions", { method: "POST", body: "{}" });
}

/** Text a one-time code to the phone; answers the masked number. */
export async function sendCode(phone: string): Promise<{ phone: string; resend_after: number }> {
  await ensureSession();
  return call("/auth/otp", { method: "POST", body: JSON.stringify({ phone }) });
}

/** Check the code: the session signs in (the server sets the new cookie). */
export async function verifyCode(phone: string, code: string): Promise<void> {
  await call("/auth/verify", { method: "POST", body: JSON.stringify({ phone, code }) });
}

export async function signOut(): Promise<void> {
  await call("/auth/logout", { method: "POST" });
}

/** The most orders one list brings (MAX_BOARD in services/board.py; the API's default is 200). */
export const MAX_BOARD = 500;

/** Orders in the given statuses (the open ones when none), newest first: up to `MAX_BOARD`. */
export async function boardOrders(statuses: readonly string[] = []): Promise<BoardOrder[]> {
  const query = new URLSearchParams({ limit: String(MAX_BOARD) });
  if (statuses.length) query.set("status", statuses.join(","));
  return (await call<BoardList>(`/staff/orders?${query}`)).orders;
}

/** Move an order; answers it as the board shows it. 409: the move is no longer possible. */
export function moveOrder(number: string, change: StatusChange): Promise<BoardOrder> {
  return call(`/staff/orders/${encodeURIComponent(number)}/status`, { method: "POST", body: JSON.stringify(change) });
}

/** Every item and option with whether it can be ordered, and whether ordering is paused. */
export function staffMenu(): Promise<Availability> {
  return call("/staff/menu");
}

/** Mark an item sold out (false) or back (true). */
export function setItemAvailable(key: string, available: boolean): Promise<ItemAvailability> {
  return call(`/staff/menu/items/${encodeURIComponent(key)}`, { method: "PATCH", body: JSON.stringify({ available }) });
}

/** Mark an option of a group sold out (false) or back (true). */
export function setOptionAvailable(group: string, key: string, available: boolean): Promise<OptionAvailability> {
  const path = `/staff/menu/groups/${encodeURIComponent(group)}/options/${encodeURIComponent(key)}`;
  return call(path, { method: "PATCH", body: JSON.stringify({ available }) });
}

/** Pause new orders with a message for customers, or resume them (managers: 403 otherwise). */
export function setOrdering(paused: boolean, message?: string): Promise<Ordering> {
  return call("/staff/ordering", { method: "PUT", body: JSON.stringify(paused ? { paused, message: message ?? "" } : { paused }) });
}

export const EVENTS_URL = `${API}/staff/events`;
