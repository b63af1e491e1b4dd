import { afterEach, describe, expect, it, vi } from "vitest";

import { boardOrders, MAX_BOARD } from "./api";

describe("boardOrders", () => {
  afterEach(() => vi.unstubAllGlobals());

  const asked = () => {
    const urls: string[] = [];
    vi.stubGlobal("fetch", (url: string) => {
      urls.push(url);
      return Promise.resolve(new Response(JSON.stringify({ orders: [] }), { status: 200 }));
    });
    return urls;
  };

  it("asks for a whole board (the API's default is 200)", async () => {
    const urls = asked();
    await boardOrders();
    expect(urls).toEqual([`/api/v1/staff/orders?limit=${MAX_BOARD}`]);
  });

  it("asks for the given statuses too", async () => {
    const urls = asked();
    await boardOrders(["placed", "ready"]);
    expect(urls).toEqual([`/api/v1/staff/orders?limit=${MAX_BOARD}&status=placed%2Cready`]);
  });
});
