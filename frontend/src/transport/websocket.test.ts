import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { initialState, reduce } from "../chat/reducer";
import type { AgEvent, ChatState } from "../chat/types";
import type { ConnectionStatus } from "./types";
import { WebSocketTransport } from "./websocket";

/** A socket the test drives: `serverSend` delivers a frame, `drop` closes it from afar. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: ((c: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  serverSend(...events: AgEvent[]): void {
    for (const event of events) this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(): void {
    this.readyState = 3;
  }
}

const sse = (events: AgEvent[]) =>
  events.map((e) => `id: ${(e.metadata as { eventId: string }).eventId}\ndata: ${JSON.stringify(e)}\n\n`).join("");

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

const ev = (eventId: string, fields: Partial<AgEvent>): AgEvent => ({ type: "X", ...fields, metadata: { eventId } });
const history = (runId: string, messages: unknown[]): AgEvent[] => [
  { type: "RUN_STARTED", runId },
  { type: "MESSAGES_SNAPSHOT", messages },
  { type: "STATE_SNAPSHOT", snapshot: {} },
  { type: "RUN_FINISHED", runId },
];

describe("WebSocketTransport", () => {
  let state: ChatState;
  let statuses: ConnectionStatus[];
  let gone: number;
  let transport: WebSocketTransport | null;
  let fetches: string[];
  let resumeBody: string;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    state = initialState;
    statuses = [];
    gone = 0;
    fetches = [];
    resumeBody = "";
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.stubGlobal("window", { location: { protocol: "http:", host: "shop.test" }, addEventListener() {}, removeEventListener() {} });
    vi.stubGlobal("fetch", async (url: string) => {
      fetches.push(url);
      return { ok: true, status: 200, body: streamOf(resumeBody) };
    });
  });

  afterEach(() => {
    transport?.close();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  function connect(): void {
    transport = new WebSocketTransport(
      "s1",
      {
        onEvent: (e) => (state = reduce(state, e)),
        onStatus: (s) => statuses.push(s),
        onSessionGone: () => (gone += 1),
        onError: () => {},
      },
      () => state.lastEventId,
    );
  }

  const reply = () => state.entries.filter((e) => e.kind === "assistant").map((e) => (e.kind === "assistant" ? e.text : ""));

  it("test_ws_first_connect_shows_history_and_queues_messages_until_open", () => {
    connect();
    expect(FakeSocket.all[0].url).toBe("ws://shop.test/api/v1/chat/s1");
    (transport as { send(text: string): void }).send("hello");
    const socket = FakeSocket.all[0];
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([JSON.stringify({ type: "message", text: "hello" })]);
    socket.serverSend(...history("history-1", [{ id: "a", role: "assistant", content: "Welcome back" }]));
    expect(reply()).toEqual(["Welcome back"]);
    expect(statuses).toEqual(["connecting", "open"]);
  });

  it("test_ws_reconnect_resumes_missed_events_in_order_without_repeats", async () => {
    connect();
    const first = FakeSocket.all[0];
    first.open();
    first.serverSend(...history("history-1", []));
    first.serverSend(
      ev("1-0", { type: "RUN_STARTED", runId: "r1" }),
      ev("1-1", { type: "TEXT_MESSAGE_START", messageId: "m1" }),
      ev("1-2", { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Two cokes " }),
    );
    first.drop();
    expect(statuses.at(-1)).toBe("reconnecting");

    // Meanwhile the turn went on; the resume stream has it (overlapping the last one seen).
    resumeBody = sse([
      ev("1-2", { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "Two cokes " }),
      ev("1-3", { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "are in " }),
      ev("1-4", { type: "TEXT_MESSAGE_CONTENT", messageId: "m1", delta: "your cart." }),
    ]);
    await vi.advanceTimersByTimeAsync(20_000);
    const second = FakeSocket.all[1];
    second.open();
    expect(fetches).toEqual(["/api/v1/chat/s1/stream?last_event_id=1-2"]);
    // The new socket's history run is not shown again; its live frames wait for the catch-up.
    second.serverSend(...history("history-2", [{ id: "x", role: "assistant", content: "stale copy" }]));
    second.serverSend(ev("1-5", { type: "TEXT_MESSAGE_END", messageId: "m1" }), ev("1-6", { type: "RUN_FINISHED", runId: "r1" }));
    await vi.advanceTimersByTimeAsync(0);
    await vi.waitFor(() => expect(state.running).toBe(false));
    expect(reply()).toEqual(["Two cokes are in your cart."]);
    expect(state.lastEventId).toBe("1-6");
  });

  it("test_ws_backoff_grows_between_failed_attempts", async () => {
    connect();
    FakeSocket.all[0].drop();
    await vi.advanceTimersByTimeAsync(500); // first retry within 0.5 s
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].drop();
    await vi.advanceTimersByTimeAsync(400);
    expect(FakeSocket.all).toHaveLength(2); // the second waits 0.5-1 s
    await vi.advanceTimersByTimeAsync(700);
    expect(FakeSocket.all).toHaveLength(3);
  });

  it("test_ws_unknown_session_close_code_asks_for_a_new_session_and_stops", async () => {
    connect();
    FakeSocket.all[0].open();
    FakeSocket.all[0].drop(4404);
    expect(gone).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});
