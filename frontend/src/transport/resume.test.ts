import { describe, expect, it } from "vitest";

import { eventId, reduceAll, initialState } from "../chat/reducer";
import { SseParser } from "./resume";

describe("SseParser", () => {
  it("test_sse_parser_yields_data_of_complete_messages_across_chunks", () => {
    const parser = new SseParser();
    expect(parser.feed('id: 1-0\ndata: {"type":"RUN_')).toEqual([]);
    expect(parser.feed('STARTED"}\n\n: ping\n\ndata: a\r\ndata: b\r\n\r\n')).toEqual(['{"type":"RUN_STARTED"}', "a\nb"]);
    expect(parser.feed("data: tail")).toEqual([]);
    expect(parser.feed("\n\n")).toEqual(["tail"]);
  });
});

describe("event ids in metadata", () => {
  it("test_event_id_reads_metadata_event_id", () => {
    expect(eventId({ type: "X", metadata: { eventId: "17-0" } })).toBe("17-0");
    expect(eventId({ type: "X", id: "a", metadata: { eventId: "b" } })).toBe("a");
    expect(eventId({ type: "X" })).toBeNull();
  });

  it("test_reducer_dedupes_by_metadata_event_id_across_live_and_resume", () => {
    const content = (id: string, delta: string) => ({ type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta, metadata: { eventId: id } });
    const live = [content("1-0", "Your "), content("1-1", "cart ")];
    const resumed = [content("1-1", "cart "), content("1-2", "is ready.")];
    const state = reduceAll(initialState, [...live, ...resumed]);
    const entry = state.entries[0];
    expect(entry.kind === "assistant" && entry.text).toBe("Your cart is ready.");
    expect(state.lastEventId).toBe("1-2");
  });

  it("test_reducer_reads_cards_from_snapshot_message_metadata", () => {
    const state = reduceAll(initialState, [
      {
        type: "MESSAGES_SNAPSHOT",
        messages: [
          { id: "u", role: "user", content: "menu" },
          { id: "a", role: "assistant", content: "Here.", metadata: { cards: [{ name: "MENU_CARD", data: { items: [] } }] } },
        ],
      },
    ]);
    expect(state.entries.map((e) => e.kind)).toEqual(["user", "assistant", "card"]);
  });
});
