/** REST calls to the service; the HttpOnly `session` cookie authenticates them. */

import { type AgEvent, type CartCardData, type MenuItem, SESSION_TOKEN, type SessionToken } from "./chat/types";

export const API = "/api/v1";
const SESSION_KEY = "restaurant.session_id";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  /** The session is unknown or expired: start a new one. */
  get sessionGone(): boolean {
    return this.status === 401 || this.status === 403 || this.status === 404;
  }
}

/** The cookie being set to a new token: every call waits for it, so none goes with the old one. */
let adopting: Promise<void> | null = null;

/** The token of a `SESSION_TOKEN` event (a sign-in in the chat gave the session a new one). */
export function sessionTokenOf(event: AgEvent): string | null {
  if (event.type !== "CUSTOM" || event.name !== SESSION_TOKEN) return null;
  const value = event.value as Partial<SessionToken> | null | undefined;
  return typeof value?.token === "string" && value.token ? value.token : null;
}

/**
 * Make the session's new token the cookie's. Signing in inside the chat rotates the token (the
 * old one stops working), and neither a WebSocket nor an SSE stream can set the HttpOnly cookie:
 * the server sets it for a request that carries the new token as a bearer.
 */
export function adoptToken(token: string): Promise<void> {
  const attempt = () => fetch(`${API}/auth/cookie`, { method: "POST", credentials: "same-origin", headers: { Authorization: `Bearer ${token}` } });
  const done: Promise<void> = attempt()
    .then((response) => (response.ok ? response : attempt()))
    .then(
      () => undefined,
      () => undefined, // offline: the next call finds the session gone and starts a new one
    )
    .finally(() => {
      if (adopting === done) adopting = null;
    });
  adopting = done;
  return done;
}

/** While a new token is on its way into the cookie: the promise of its arrival. */
export function cookiePending(): Promise<void> | null {
  return adopting;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  if (adopting) await adopting;
  const response = await fetch(path, {
    credentials: "same-origin",
    ...init,
    headers: { Accept: "application/json", ...(init.body ? { "Content-Type": "application/json" } : {}), ...init.headers },
  });
  if (!response.ok) {
    let detail = response.statusText;
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

export interface SessionInfo {
  session_id: string;
  token?: string;
  expires_in?: number;
}

export function storedSessionId(): string | null {
  try {
    return localStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

export function forgetSession(): void {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    /* storage disabled */
  }
}

/** A new chat session; the server sets the cookie, the id is kept so a reload resumes it. */
export async function createSession(): Promise<string> {
  const info = await request<SessionInfo>(`${API}/sessions`, { method: "POST", body: "{}" });
  try {
    localStorage.setItem(SESSION_KEY, info.session_id);
  } catch {
    /* storage disabled: the conversation lasts as long as the page */
  }
  return info.session_id;
}

export function getHistory(sessionId: string): Promise<unknown> {
  return request(`${API}/chat/${encodeURIComponent(sessionId)}/messages`);
}

export function getCart(sessionId: string): Promise<unknown> {
  return request(`${API}/chat/${encodeURIComponent(sessionId)}/cart`);
}

export function setLineQuantity(sessionId: string, lineId: string, quantity: number): Promise<unknown> {
  return request(`${API}/chat/${encodeURIComponent(sessionId)}/cart/lines/${encodeURIComponent(lineId)}`, {
    method: "PATCH",
    body: JSON.stringify({ quantity }),
  });
}

export function removeLine(sessionId: string, lineId: string): Promise<unknown> {
  return request(`${API}/chat/${encodeURIComponent(sessionId)}/cart/lines/${encodeURIComponent(lineId)}`, {
    method: "DELETE",
  });
}

/** The cart as the card shows it, from whatever the cart endpoints answer. */
export function asCartData(body: unknown): CartCardData | null {
  if (!body || typeof body !== "object") return null;
  const obj = body as Record<string, unknown>;
  const cart = (obj.cart && typeof obj.cart === "object" ? obj.cart : obj) as Record<string, unknown>;
  if (!Array.isArray(cart.lines)) return null;
  return {
    lines: cart.lines as CartCardData["lines"],
    subtotal: String(cart.subtotal ?? "0.00"),
    total: String(cart.total ?? cart.subtotal ?? "0.00"),
    currency: typeof cart.currency === "string" ? cart.currency : "USD",
  };
}

export interface MenuDocument {
  restaurant?: { name?: string; currency?: string };
  categories?: { key: string; label: string; items: MenuItem[] }[];
}

export function getMenu(): Promise<MenuDocument> {
  return request(`${API}/menu`);
}

export interface GraphDocument {
  mermaid: string;
  nodes: string[];
}

export function getGraph(): Promise<GraphDocument> {
  return request(`${API}/graph`);
}
