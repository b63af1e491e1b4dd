import { describe, expect, it } from "vitest";

import { backoffDelay } from "../transport/types";
import { historyEvents } from "./history";
import { activityLabel, entriesFromHistory, initialState, reduce, reduceAll, statusText } from "./reducer";
import type { AgEvent, ChatState, Entry } from "./types";

let n = 0;
/** An event with a fresh id unless one is given. */
function ev(type: string, fields: Partial<AgEvent> = {}): AgEvent {
  n += 1;
  return { type, id: `e${n}`, ...fields };
}

function texts(state: ChatState): string[] {
  return state.entries.map((e: Entry) => (e.kind === "card" ? `[${e.name}]` : `${e.kind}:${e.text}`));
}

const cartValue = {
  lines: [
    {
      id: "l1",
      item: "pepperoni_pizza",
      label: "Pepperoni Pizza",
      quantity: 2,
      choices: [{ group: "pizza_size", option: "large", label: 'Large 14"' }],
      unit_price: "20.00",
      line_total: "40.00",
    },
  ],
  subtotal: "40.00",
  total: "40.00",
  currency: "USD",
};

function turn(runId: string, messageId: string, words: string[]): AgEvent[] {
  return [
    ev("RUN_STARTED", { runId, threadId: "s" }),
    ev("STEP_STARTED", { stepName: "understand" }),
    ev("STEP_FINISHED", { stepName: "understand" }),
    ev("TEXT_MESSAGE_START", { messageId, role: "assistant" }),
    ...words.map((delta) => ev("TEXT_MESSAGE_CONTENT", { messageId, delta })),
    ev("TEXT_MESSAGE_END", { messageId }),
    ev("RUN_FINISHED", { runId, threadId: "s" }),
  ];
}

describe("reduce: streaming text", () => {
  it("test_reducer_streams_text_as_it_is_written", () => {
    const events = turn("r1", "m1", ["Here ", "is ", "the menu."]);
    let state = initialState;
    const seen: string[] = [];
    for (const event of events) {
      state = reduce(state, event);
      const last = state.entries.at(-1);
      if (last?.kind === "assistant") seen.push(last.text);
    }
    expect(seen).toContain("Here is ");
    expect(texts(state)).toEqual(["assistant:Here is the menu."]);
    expect(state.running).toBe(false);
    const entry = state.entries[0];
    expect(entry.kind === "assistant" && entry.streaming).toBe(false);
  });

  it("test_reducer_content_before_start_creates_the_message_and_start_keeps_it", () => {
    const state = reduceAll(initialState, [
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m1", delta: "Hel" }),
      ev("TEXT_MESSAGE_START", { messageId: "m1", role: "assistant" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m1", delta: "lo" }),
    ]);
    expect(texts(state)).toEqual(["assistant:Hello"]);
  });

  it("test_reducer_end_before_content_does_not_lose_text", () => {
    const state = reduceAll(initialState, [
      ev("TEXT_MESSAGE_START", { messageId: "m1" }),
      ev("TEXT_MESSAGE_END", { messageId: "m1" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m1", delta: "late words" }),
    ]);
    expect(texts(state)).toEqual(["assistant:late words"]);
  });

  it("test_reducer_end_of_unknown_message_adds_nothing", () => {
    const state = reduce(initialState, ev("TEXT_MESSAGE_END", { messageId: "ghost" }));
    expect(state.entries).toEqual([]);
  });

  it("test_reducer_two_messages_stay_separate", () => {
    const state = reduceAll(initialState, [...turn("r1", "m1", ["One."]), ...turn("r2", "m2", ["Two."])]);
    expect(texts(state)).toEqual(["assistant:One.", "assistant:Two."]);
  });
});

describe("reduce: repeated and replayed events", () => {
  it("test_reducer_ignores_an_event_id_seen_before", () => {
    const chunk = ev("TEXT_MESSAGE_CONTENT", { messageId: "m1", delta: "Hi" });
    const state = reduceAll(initialState, [chunk, chunk, { ...chunk }]);
    expect(texts(state)).toEqual(["assistant:Hi"]);
    expect(state.lastEventId).toBe(String(chunk.id));
  });

  it("test_reducer_history_then_live_overlap_shows_each_event_once", () => {
    const history = [
      ...turn("r1", "m1", ["Welcome back."]),
      ev("CUSTOM", { name: "CART_CARD", value: cartValue }),
    ];
    const live = [...turn("r2", "m2", ["Added."])];
    // A reconnect replays the history and the part of the live run already shown.
    const state = reduceAll(initialState, [...history, ...live.slice(0, 4), ...history, ...live]);
    expect(texts(state)).toEqual(["assistant:Welcome back.", "[CART_CARD]", "assistant:Added."]);
    expect(state.running).toBe(false);
  });

  it("test_reducer_numeric_ids_dedupe_like_strings", () => {
    const state = reduceAll(initialState, [
      { type: "TEXT_MESSAGE_CONTENT", id: 7, messageId: "m", delta: "a" },
      { type: "TEXT_MESSAGE_CONTENT", id: "7", messageId: "m", delta: "a" },
    ]);
    expect(texts(state)).toEqual(["assistant:a"]);
  });

  it("test_reducer_events_without_id_are_applied", () => {
    const state = reduceAll(initialState, [
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "a" },
      { type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "b" },
    ]);
    expect(texts(state)).toEqual(["assistant:ab"]);
    expect(state.lastEventId).toBeNull();
  });

  it("test_reducer_duplicate_run_finished_is_harmless", () => {
    const finished = { type: "RUN_FINISHED", runId: "r1" };
    const state = reduceAll(initialState, [ev("RUN_STARTED", { runId: "r1" }), ev(finished.type, finished), ev(finished.type, finished)]);
    expect(state.running).toBe(false);
    expect(state.error).toBeNull();
  });

  it("test_reducer_late_finish_of_an_old_run_does_not_stop_the_current_one", () => {
    const state = reduceAll(initialState, [
      ev("RUN_STARTED", { runId: "r1" }),
      ev("RUN_FINISHED", { runId: "r1" }),
      ev("RUN_STARTED", { runId: "r2" }),
      ev("RUN_FINISHED", { runId: "r1" }),
    ]);
    expect(state.running).toBe(true);
    expect(state.runId).toBe("r2");
  });

  it("test_reducer_replayed_start_of_a_finished_run_does_not_restart_it", () => {
    const state = reduceAll(initialState, [
      ev("RUN_STARTED", { runId: "r1" }),
      ev("RUN_FINISHED", { runId: "r1" }),
      ev("RUN_STARTED", { runId: "r1" }),
    ]);
    expect(state.running).toBe(false);
  });

  it("test_reducer_is_pure", () => {
    const before = reduceAll(initialState, turn("r1", "m1", ["Hi"]));
    const frozen = JSON.stringify(before);
    reduce(before, ev("TEXT_MESSAGE_CONTENT", { messageId: "m1", delta: " there" }));
    expect(JSON.stringify(before)).toBe(frozen);
    expect(initialState.entries).toEqual([]);
  });
});

describe("reduce: cards", () => {
  it("test_reducer_custom_events_become_cards_in_order", () => {
    const state = reduceAll(initialState, [
      ev("RUN_STARTED", { runId: "r" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m", delta: "Here you go" }),
      ev("CUSTOM", { name: "MENU_CARD", value: { items: [] } }),
      ev("CUSTOM", { name: "CART_CARD", value: cartValue }),
      ev("CUSTOM", { name: "ORDER_DATA", value: { number: "A1" } }),
      ev("CUSTOM", { name: "AUTH_REQUIRED", value: { step: "phone" } }),
      ev("RUN_FINISHED", { runId: "r" }),
    ]);
    expect(texts(state)).toEqual(["assistant:Here you go", "[MENU_CARD]", "[CART_CARD]", "[ORDER_DATA]", "[AUTH_REQUIRED]"]);
    const cart = state.entries[2];
    expect(cart.kind === "card" && cart.data).toEqual(cartValue);
  });

  it("test_reducer_reply_goes_before_the_cards_its_run_showed_first", () => {
    const state = reduceAll(initialState, [
      ev("CUSTOM", { name: "MENU_CARD", value: { items: [] } }), // an earlier card, outside the run
      ev("RUN_STARTED", { runId: "r" }),
      ev("CUSTOM", { name: "CART_CARD", value: cartValue }),
      ev("TEXT_MESSAGE_START", { messageId: "m" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m", delta: "Added." }),
      ev("RUN_FINISHED", { runId: "r" }),
      ev("RUN_STARTED", { runId: "r2" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m2", delta: "Next." }),
    ]);
    expect(texts(state)).toEqual(["[MENU_CARD]", "assistant:Added.", "[CART_CARD]", "assistant:Next."]);
  });

  it("test_reducer_keeps_the_latest_state_snapshot", () => {
    const state = reduceAll(initialState, [
      ev("STATE_SNAPSHOT", { snapshot: { awaiting: "order_type" } }),
      ev("STATE_SNAPSHOT", { snapshot: "not an object" }),
    ]);
    expect(state.snapshot).toEqual({ awaiting: "order_type" });
  });

  it("test_reducer_unknown_custom_events_are_ignored", () => {
    const state = reduce(initialState, ev("CUSTOM", { name: "SOMETHING_ELSE", value: {} }));
    expect(state.entries).toEqual([]);
  });

  it("test_reducer_repeated_card_event_shows_one_card", () => {
    const card = ev("CUSTOM", { name: "CART_CARD", value: cartValue });
    const state = reduceAll(initialState, [card, card]);
    expect(texts(state)).toEqual(["[CART_CARD]"]);
  });

  it("test_reducer_local_cart_change_updates_the_latest_cart_card", () => {
    const changed = { ...cartValue, subtotal: "20.00", total: "20.00" };
    const state = reduceAll(initialState, [
      ev("CUSTOM", { name: "CART_CARD", value: cartValue }),
      ev("CUSTOM", { name: "CART_CARD", value: cartValue }),
      { type: "local/cart", data: changed },
    ]);
    const [first, second] = state.entries;
    expect(first.kind === "card" && first.data).toEqual(cartValue);
    expect(second.kind === "card" && second.data).toEqual(changed);
  });
});

describe("reduce: what the assistant is doing", () => {
  it("test_reducer_status_follows_steps_and_tools", () => {
    let state = reduceAll(initialState, [ev("RUN_STARTED", { runId: "r" })]);
    expect(statusText(state)).toBe("Thinking…");
    state = reduce(state, ev("STEP_STARTED", { stepName: "search_menu" }));
    expect(state.step).toBe("search_menu");
    expect(statusText(state)).toBe("Looking through the menu…");
    state = reduceAll(state, [
      ev("TOOL_CALL_START", { toolCallId: "t1", toolCallName: "add_to_cart" }),
      ev("TOOL_CALL_ARGS", { toolCallId: "t1", delta: '{"item":' }),
      ev("TOOL_CALL_ARGS", { toolCallId: "t1", delta: '"coke"}' }),
    ]);
    expect(statusText(state)).toBe("Adding to your cart…");
    expect(state.tools[0].args).toBe('{"item":"coke"}');
    state = reduceAll(state, [
      ev("TOOL_CALL_END", { toolCallId: "t1" }),
      ev("TOOL_CALL_RESULT", { toolCallId: "t1", messageId: "tm", content: "added" }),
    ]);
    expect(state.tools[0]).toMatchObject({ done: true, result: "added" });
    expect(statusText(state)).toBe("Looking through the menu…");
    state = reduce(state, ev("STEP_FINISHED", { stepName: "search_menu" }));
    expect(state.step).toBeNull();
    expect(state.trail).toEqual(["search_menu"]);
    state = reduce(state, ev("RUN_FINISHED", { runId: "r" }));
    expect(statusText(state)).toBeNull();
  });

  it("test_reducer_tool_args_before_start_keep_the_name_that_follows", () => {
    const state = reduceAll(initialState, [
      ev("TOOL_CALL_ARGS", { toolCallId: "t", delta: "{}" }),
      ev("TOOL_CALL_START", { toolCallId: "t", toolCallName: "search_menu" }),
    ]);
    expect(state.tools).toEqual([{ id: "t", name: "search_menu", args: "{}", done: false }]);
  });

  it("test_reducer_step_finished_for_another_step_keeps_the_current", () => {
    const state = reduceAll(initialState, [
      ev("STEP_STARTED", { stepName: "a" }),
      ev("STEP_STARTED", { stepName: "b" }),
      ev("STEP_FINISHED", { stepName: "a" }),
    ]);
    expect(state.step).toBe("b");
    expect(state.trail).toEqual(["a", "b"]);
  });

  it("test_reducer_new_run_clears_the_trail", () => {
    const state = reduceAll(initialState, [...turn("r1", "m1", ["x"]), ev("RUN_STARTED", { runId: "r2" })]);
    expect(state.trail).toEqual([]);
    expect(state.running).toBe(true);
  });

  it("test_activity_label_humanizes_unknown_names", () => {
    expect(activityLabel("place_order")).toBe("Placing your order");
    expect(activityLabel("lookup_order-status")).toBe("Lookup order status");
  });
});

describe("reduce: errors", () => {
  it("test_reducer_run_error_stops_the_run_and_shows_the_message", () => {
    const state = reduceAll(initialState, [
      ev("RUN_STARTED", { runId: "r" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "m", delta: "Half a sent" }),
      ev("RUN_ERROR", { message: "The menu store is down; please retry." }),
    ]);
    expect(state.running).toBe(false);
    expect(state.error).toBe("The menu store is down; please retry.");
    const entry = state.entries[0];
    expect(entry.kind === "assistant" && entry.streaming).toBe(false);
    expect(statusText(state)).toBeNull();
  });

  it("test_reducer_run_error_without_message_has_a_default", () => {
    const state = reduce(initialState, ev("RUN_ERROR"));
    expect(state.error).toMatch(/went wrong/);
  });

  it("test_reducer_next_run_clears_the_error", () => {
    const state = reduceAll(initialState, [ev("RUN_ERROR", { message: "x" }), ev("RUN_STARTED", { runId: "r2" })]);
    expect(state.error).toBeNull();
  });

  it("test_reducer_unknown_event_types_change_nothing", () => {
    const state = reduceAll(initialState, [
      { type: "STATE_SNAPSHOT", snapshot: { intent: "x" } },
      { type: "SOMETHING_NEW" },
    ]);
    expect(state.entries).toEqual([]);
  });
});

describe("reduce: user messages and history", () => {
  it("test_reducer_sent_message_shows_at_once_and_settles_when_the_run_starts", () => {
    let state = reduce(initialState, { type: "local/send", id: "local-1", text: "show the menu" });
    expect(state.entries).toEqual([{ kind: "user", id: "local-1", text: "show the menu", pending: true }]);
    state = reduce(state, ev("RUN_STARTED", { runId: "r" }));
    expect(state.entries[0]).toMatchObject({ pending: false });
  });

  it("test_reducer_server_echo_of_a_user_message_replaces_the_local_copy", () => {
    const state = reduceAll(initialState, [
      { type: "local/send", id: "local-1", text: "checkout" },
      ev("RUN_STARTED", { runId: "r" }),
      ev("TEXT_MESSAGE_START", { messageId: "u1", role: "user" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "u1", role: "user", delta: "checkout" }),
      ev("TEXT_MESSAGE_END", { messageId: "u1" }),
    ]);
    expect(state.entries).toEqual([{ kind: "user", id: "u1", text: "checkout", pending: false }]);
  });

  it("test_reducer_user_messages_in_history_events_are_shown", () => {
    const state = reduceAll(initialState, [
      ev("TEXT_MESSAGE_START", { messageId: "u1", role: "user" }),
      ev("TEXT_MESSAGE_CONTENT", { messageId: "u1", delta: "hi" }),
      ev("TEXT_MESSAGE_END", { messageId: "u1" }),
      ...turn("r1", "m1", ["Hello!"]),
    ]);
    expect(texts(state)).toEqual(["user:hi", "assistant:Hello!"]);
  });

  it("test_reducer_messages_snapshot_rebuilds_the_conversation_with_cards", () => {
    const messages = [
      { id: "1", role: "user", content: "my cart" },
      { id: "2", role: "assistant", content: "Here it is.", cards: [{ type: "card", name: "CART_CARD", data: cartValue }] },
    ];
    const state = reduceAll(initialState, [
      { type: "local/send", id: "local-9", text: "checkout" },
      ev("MESSAGES_SNAPSHOT", { messages }),
      ev("MESSAGES_SNAPSHOT", { messages }),
    ]);
    expect(texts(state)).toEqual(["user:my cart", "assistant:Here it is.", "[CART_CARD]", "user:checkout"]);
  });

  it("test_reducer_messages_snapshot_keeps_a_sent_message_a_run_already_picked_up", () => {
    // The history was read before the turn of "show the menu" was recorded: the message must
    // stay on screen even though a RUN_STARTED (the history's own run) came first.
    const state = reduceAll(initialState, [
      { type: "local/send", id: "local-1", text: "yes" },
      { type: "local/send", id: "local-2", text: "show the menu" },
      ev("RUN_STARTED", { runId: "history", threadId: "s" }),
      ev("MESSAGES_SNAPSHOT", { messages: [{ id: "1", role: "user", content: "yes" }] }),
      ev("RUN_FINISHED", { runId: "history", threadId: "s" }),
    ]);
    expect(texts(state)).toEqual(["user:yes", "user:show the menu"]);
    const twice = reduceAll(state, [
      { type: "local/send", id: "local-3", text: "yes" },
      ev("MESSAGES_SNAPSHOT", {
        messages: [
          { id: "1", role: "user", content: "yes" },
          { id: "2", role: "user", content: "show the menu" },
        ],
      }),
    ]);
    expect(texts(twice)).toEqual(["user:yes", "user:show the menu", "user:yes"]);
  });

  it("test_entries_from_history_skips_what_it_cannot_read", () => {
    expect(entriesFromHistory(null)).toEqual([]);
    expect(entriesFromHistory([null, { role: "tool", content: "x" }, { role: "assistant", cards: [{ name: "NOPE" }] }])).toEqual([]);
  });

  it("test_history_events_reads_events_or_messages", () => {
    const events = [{ type: "RUN_STARTED", id: "1" }];
    expect(historyEvents(events)).toEqual(events);
    expect(historyEvents({ events })).toEqual(events);
    expect(historyEvents({ messages: [{ role: "user", content: "x" }] })[0].type).toBe("MESSAGES_SNAPSHOT");
    expect(historyEvents("nonsense")).toEqual([]);
  });

  it("test_reducer_reset_forgets_everything", () => {
    const state = reduceAll(initialState, [...turn("r", "m", ["x"]), { type: "local/reset" }]);
    expect(state).toEqual(initialState);
  });
});

describe("backoff", () => {
  it("test_backoff_grows_exponentially_with_a_cap", () => {
    const mid = () => 0.5;
    const delays = [0, 1, 2, 3, 4, 5, 6, 10, 20].map((a) => backoffDelay(a, mid));
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(delays[0]).toBeLessThanOrEqual(500);
    expect(delays.at(-1)).toBeLessThanOrEqual(15_000);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
  });
});
