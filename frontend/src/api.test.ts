import { afterEach, describe, expect, it, vi } from "vitest";

import { adoptToken, cookiePending, getCart, sessionTokenOf } from "./api";

describe("a new session token after a sign-in in the chat", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("test_session_token_is_read_from_its_event_only", () => {
    expect(sessionTokenOf({ type: "CUSTOM", name: "SESSION_TOKEN", value: { token: "t-new", expires_in: 1800 } })).toBe("t-new");
    expect(sessionTokenOf({ type: "CUSTOM", name: "CART_CARD", value: { token: "t-new" } })).toBeNull();
    expect(sessionTokenOf({ type: "CUSTOM", name: "SESSION_TOKEN", value: {} })).toBeNull();
    expect(sessionTokenOf({ type: "TEXT_MESSAGE_CONTENT", name: "SESSION_TOKEN", delta: "x" })).toBeNull();
  });

  it("test_session_token_goes_into_the_cookie_before_any_other_call", async () => {
    const calls: { url: string; auth: string | null }[] = [];
    let answerCookie: (response: { ok: boolean; status: number }) => void = () => {};
    vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
      const headers = (init.headers ?? {}) as Record<string, string>;
      calls.push({ url, auth: headers.Authorization ?? null });
      if (url.endsWith("/auth/cookie")) return new Promise((resolve) => (answerCookie = resolve));
      return Promise.resolve({ ok: true, status: 200, text: async () => '{"lines": []}' });
    });

    const adopted = adoptToken("t-new");
    expect(cookiePending()).not.toBeNull();
    const cart = getCart("s1"); // asked while the cookie is being set: it waits
    await Promise.resolve();
    expect(calls).toEqual([{ url: "/api/v1/auth/cookie", auth: "Bearer t-new" }]);

    answerCookie({ ok: true, status: 204 });
    await adopted;
    expect(await cart).toEqual({ lines: [] });
    expect(calls.map((c) => c.url)).toEqual(["/api/v1/auth/cookie", "/api/v1/chat/s1/cart"]);
    expect(calls[1].auth).toBeNull(); // the cookie speaks for it
    expect(cookiePending()).toBeNull();
  });
});
