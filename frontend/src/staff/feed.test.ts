import { describe, expect, it } from "vitest";

import type { FeedMode } from "./board";
import { followBoard, POLL_MS, RETRY_MS, type FeedDeps } from "./feed";

/** A stand-in for the browser's EventSource: the test opens, fails and closes it. */
class FakeSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static made: FakeSource[] = [];
  readyState = FakeSource.CONNECTING;
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, (event: MessageEvent) => void>();
  constructor(readonly url: string) {
    FakeSource.made.push(this);
  }
  addEventListener(name: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(name, listener);
  }
  close() {
    this.closed = true;
    this.readyState = FakeSource.CLOSED;
  }
  open() {
    this.readyState = FakeSource.OPEN;
    this.onopen?.();
  }
  /** The connection dropped; `giveUp` as the browser does for a 404 or a wrong content type. */
  fail(giveUp: boolean) {
    this.readyState = giveUp ? FakeSource.CLOSED : FakeSource.CONNECTING;
    this.onerror?.();
  }
}

function harness(status: number) {
  FakeSource.made = [];
  const timers: { run: () => void; ms: number }[] = [];
  const seen = { messages: [] as string[], catchUps: 0, modes: [] as FeedMode[], probes: 0 };
  const deps: FeedDeps = {
    EventSource: FakeSource as unknown as FeedDeps["EventSource"],
    fetch: async () => {
      seen.probes += 1;
      return { status };
    },
    setTimeout: (run, ms) => {
      const timer = { run, ms };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (timer) => {
      const at = timers.indexOf(timer as (typeof timers)[number]);
      if (at >= 0) timers.splice(at, 1);
    },
  };
  const stop = followBoard(
    "/api/v1/staff/events",
    {
      onMessage: (data) => seen.messages.push(data),
      onCatchUp: () => (seen.catchUps += 1),
      onMode: (mode) => seen.modes.push(mode),
    },
    deps,
  );
  const tick = () => timers.shift()?.run();
  return { seen, timers, stop, tick };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the board's live feed", () => {
  it("test_feed_passes_events_on_and_catches_up_on_every_open", () => {
    const { seen } = harness(200);
    const source = FakeSource.made[0];
    expect(source.url).toBe("/api/v1/staff/events");
    source.open();
    source.onmessage?.({ data: '{"order": {}}' } as MessageEvent);
    source.listeners.get("order")?.({ data: "named" } as MessageEvent);
    expect(seen.messages).toEqual(['{"order": {}}', "named"]);
    // Dropped, then reopened by the browser (with Last-Event-ID): the list is read again.
    source.fail(false);
    source.open();
    expect(seen.modes).toEqual(["live", "reconnecting", "live"]);
    expect(seen.catchUps).toBe(2);
    expect(FakeSource.made).toHaveLength(1); // the browser reconnects, not us
  });

  it("test_feed_falls_back_to_reading_every_5_s_when_the_endpoint_is_missing", async () => {
    const { seen, timers, tick, stop } = harness(404);
    FakeSource.made[0].fail(true);
    await settle();
    expect(seen.probes).toBe(1);
    expect(seen.modes.at(-1)).toBe("polling");
    expect(seen.catchUps).toBe(1);
    expect(timers.map((t) => t.ms)).toEqual([POLL_MS]);
    tick();
    tick();
    expect(seen.catchUps).toBe(3);
    stop();
    expect(timers).toEqual([]);
    expect(FakeSource.made).toHaveLength(1);
  });

  it("test_feed_retries_a_stream_that_failed_otherwise", async () => {
    const { seen, timers, tick } = harness(503);
    FakeSource.made[0].fail(true);
    await settle();
    expect(seen.catchUps).toBe(1); // read the list meanwhile
    expect(timers.map((t) => t.ms)).toEqual([RETRY_MS]);
    tick();
    expect(FakeSource.made).toHaveLength(2);
    FakeSource.made[1].open();
    expect(seen.modes.at(-1)).toBe("live");
  });

  it("test_feed_stop_closes_the_stream", () => {
    const { stop } = harness(200);
    stop();
    expect(FakeSource.made[0].closed).toBe(true);
  });
});
