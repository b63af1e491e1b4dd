/**
 * The event-stream reducer: (state, AG-UI event) -> state, pure.
 *
 * Streams can repeat events (history replayed on every connect, a resumed stream overlapping what
 * was already shown) or deliver them out of order (a TEXT_MESSAGE_CONTENT before its START), so
 * every event with an id is applied once, and every handler tolerates a missing predecessor.
 */

import {
  CARD_NAMES,
  type AgEvent,
  type CardName,
  type ChatState,
  type Entry,
  type StateSnapshot,
  type ToolCall,
} from "./types";

export const initialState: ChatState = {
  seen: {},
  lastEventId: null,
  entries: [],
  running: false,
  runId: null,
  finishedRuns: {},
  step: null,
  trail: [],
  tools: [],
  error: null,
  snapshot: null,
  localSeq: 0,
};

/** Local actions the UI dispatches beside the server's events. */
export type LocalAction =
  | { type: "local/send"; id: string; text: string }
  | { type: "local/cart"; data: unknown }
  | { type: "local/error"; message: string | null }
  | { type: "local/reset" };

export type Action = AgEvent | LocalAction;

/** Ids of messages typed here, before the server has them. */
export const LOCAL_PREFIX = "local-";

function isCardName(name: unknown): name is CardName {
  return typeof name === "string" && (CARD_NAMES as readonly string[]).includes(name);
}

function closeStreams(entries: Entry[]): Entry[] {
  return entries.some((e) => e.kind === "assistant" && e.streaming)
    ? entries.map((e) => (e.kind === "assistant" && e.streaming ? { ...e, streaming: false } : e))
    : entries;
}

/**
 * Where a new reply goes: before the cards its own run has shown so far, so a turn reads as its
 * text, then its cards, live just as after a reload (the service sends cards before the reply).
 */
function replySlot(entries: Entry[], runId: string | null): number {
  let at = entries.length;
  if (!runId) return at;
  while (at > 0) {
    const before = entries[at - 1];
    if (before.kind !== "card" || before.runId !== runId) break;
    at -= 1;
  }
  return at;
}

function upsertText(
  entries: Entry[],
  id: string,
  role: "user" | "assistant",
  change: (text: string) => string,
  streaming: boolean | undefined,
  runId: string | null = null,
): Entry[] {
  const index = entries.findIndex((e) => e.id === id && (e.kind === "assistant" || e.kind === "user"));
  if (index < 0) {
    const text = change("");
    const entry: Entry =
      role === "user" ? { kind: "user", id, text } : { kind: "assistant", id, text, streaming: streaming ?? true };
    const at = role === "assistant" ? replySlot(entries, runId) : entries.length;
    return [...entries.slice(0, at), entry, ...entries.slice(at)];
  }
  const current = entries[index];
  if (current.kind !== "assistant" && current.kind !== "user") return entries;
  const next: Entry =
    current.kind === "assistant"
      ? { ...current, text: change(current.text), streaming: streaming ?? current.streaming }
      : { ...current, text: change(current.text) };
  const copy = entries.slice();
  copy[index] = next;
  return copy;
}

/** A user message the server echoes replaces the optimistic local copy with the same text. */
function reconcileUser(entries: Entry[], id: string): Entry[] {
  const server = entries.find((e) => e.id === id && e.kind === "user");
  if (!server || server.kind !== "user") return entries;
  const local = entries.findIndex(
    (e) => e.kind === "user" && e.id.startsWith(LOCAL_PREFIX) && e.text.trim() === server.text.trim(),
  );
  if (local < 0) return entries;
  const copy = entries.filter((e) => e !== server);
  copy[local] = { ...server, pending: false };
  return copy;
}

function toolUpdate(tools: ToolCall[], id: string, change: (t: ToolCall) => ToolCall, name = ""): ToolCall[] {
  const index = tools.findIndex((t) => t.id === id);
  if (index < 0) return [...tools, change({ id, name, args: "", done: false })];
  const copy = tools.slice();
  copy[index] = change(copy[index]);
  return copy;
}

interface HistoryMessage {
  id?: string;
  role?: string;
  content?: unknown;
  text?: unknown;
  cards?: unknown;
  metadata?: { cards?: unknown } | null;
}

interface RawCard {
  name?: unknown;
  data?: unknown;
  value?: unknown;
}

/** Entries rebuilt from a history document (`GET .../messages` or a MESSAGES_SNAPSHOT). */
export function entriesFromHistory(messages: unknown, receivedAt = 0): Entry[] {
  if (!Array.isArray(messages)) return [];
  const entries: Entry[] = [];
  messages.forEach((raw: HistoryMessage, i) => {
    if (!raw || typeof raw !== "object") return;
    const id = String(raw.id ?? `h${i}`);
    const text = typeof raw.content === "string" ? raw.content : typeof raw.text === "string" ? raw.text : "";
    if (raw.role === "user" && text) entries.push({ kind: "user", id, text });
    else if (raw.role === "assistant" && text) entries.push({ kind: "assistant", id, text, streaming: false });
    // REST puts the cards beside the text; the AG-UI snapshot in the message's metadata.
    const cards = Array.isArray(raw.cards) ? raw.cards : raw.metadata?.cards;
    if (Array.isArray(cards)) {
      cards.forEach((card: RawCard, j) => {
        if (card && isCardName(card.name)) {
          entries.push({ kind: "card", id: `${id}:card${j}`, name: card.name, data: card.data ?? card.value, receivedAt });
        }
      });
    }
  });
  return entries;
}

/**
 * The customer's messages that a history does not hold yet: their turn is still queued or
 * running. Counted, not just matched by text, so a second "yes" is not taken for the first.
 * Whether a run has already picked a message up does not matter: the history snapshot can be
 * older than that run.
 */
function userEntriesNotIn(history: Entry[], entries: Entry[]): Entry[] {
  const inHistory = new Map<string, number>();
  for (const e of history) {
    if (e.kind === "user") inHistory.set(e.text.trim(), (inHistory.get(e.text.trim()) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  return entries.filter((e) => {
    if (e.kind !== "user") return false;
    const text = e.text.trim();
    const nth = (seen.get(text) ?? 0) + 1;
    seen.set(text, nth);
    return nth > (inHistory.get(text) ?? 0);
  });
}

function applyEvent(state: ChatState, event: AgEvent): ChatState {
  switch (event.type) {
    case "RUN_STARTED": {
      if (event.runId && state.finishedRuns[event.runId]) return state;
      // Sent messages are now in the server's hands.
      const entries = state.entries.map((e) => (e.kind === "user" && e.pending ? { ...e, pending: false } : e));
      return {
        ...state,
        entries,
        running: true,
        runId: event.runId ?? null,
        step: null,
        trail: [],
        tools: [],
        error: null,
      };
    }
    case "RUN_FINISHED":
    case "RUN_ERROR": {
      const runId = event.runId ?? null;
      const finishedRuns = runId ? { ...state.finishedRuns, [runId]: true as const } : state.finishedRuns;
      // A late or repeated finish of an older run must not stop the one in progress.
      if (runId && state.runId && runId !== state.runId && state.running) return { ...state, finishedRuns };
      const error =
        event.type === "RUN_ERROR" ? (event.message || "Something went wrong. Please try again.") : state.error;
      return {
        ...state,
        finishedRuns,
        running: false,
        step: null,
        tools: state.tools.map((t) => (t.done ? t : { ...t, done: true })),
        entries: closeStreams(state.entries),
        error,
      };
    }
    case "STEP_STARTED": {
      const name = event.stepName ?? "";
      if (!name) return state;
      return { ...state, step: name, trail: [...state.trail, name] };
    }
    case "STEP_FINISHED":
      return state.step === event.stepName ? { ...state, step: null } : state;
    case "TOOL_CALL_START": {
      if (!event.toolCallId) return state;
      const name = event.toolCallName ?? "";
      return { ...state, tools: toolUpdate(state.tools, event.toolCallId, (t) => ({ ...t, name: name || t.name }), name) };
    }
    case "TOOL_CALL_ARGS":
      if (!event.toolCallId) return state;
      return { ...state, tools: toolUpdate(state.tools, event.toolCallId, (t) => ({ ...t, args: t.args + (event.delta ?? "") })) };
    case "TOOL_CALL_END":
      if (!event.toolCallId) return state;
      return { ...state, tools: toolUpdate(state.tools, event.toolCallId, (t) => ({ ...t, done: true })) };
    case "TOOL_CALL_RESULT":
      if (!event.toolCallId) return state;
      return {
        ...state,
        tools: toolUpdate(state.tools, event.toolCallId, (t) => ({ ...t, done: true, result: event.content ?? "" })),
      };
    case "TEXT_MESSAGE_START": {
      if (!event.messageId) return state;
      const role = event.role === "user" ? "user" : "assistant";
      const runId = state.running ? state.runId : null;
      return { ...state, entries: upsertText(state.entries, event.messageId, role, (t) => t, undefined, runId) };
    }
    case "TEXT_MESSAGE_CONTENT":
    case "TEXT_MESSAGE_CHUNK": {
      if (!event.messageId || !event.delta) return state;
      const role = event.role === "user" ? "user" : "assistant";
      const runId = state.running ? state.runId : null;
      return { ...state, entries: upsertText(state.entries, event.messageId, role, (t) => t + event.delta, undefined, runId) };
    }
    case "TEXT_MESSAGE_END": {
      if (!event.messageId) return state;
      const existing = state.entries.find((e) => e.id === event.messageId);
      if (!existing) return state; // nothing was said: an empty message shows nothing
      const entries = upsertText(state.entries, event.messageId, existing.kind === "user" ? "user" : "assistant", (t) => t, false);
      return { ...state, entries: existing.kind === "user" ? reconcileUser(entries, event.messageId) : entries };
    }
    case "CUSTOM": {
      if (!isCardName(event.name)) return state;
      const seq = state.localSeq + 1;
      const key = eventId(event);
      const id = key !== null ? `card-${key}` : `card-local-${seq}`;
      if (state.entries.some((e) => e.id === id)) return state;
      const card: Entry = {
        kind: "card",
        id,
        name: event.name,
        data: event.value,
        receivedAt: Date.now(),
        runId: state.running ? state.runId : null,
      };
      return { ...state, localSeq: seq, entries: [...state.entries, card] };
    }
    case "MESSAGES_SNAPSHOT": {
      const rebuilt = entriesFromHistory(event.messages, event.timestamp ?? Date.now());
      return { ...state, entries: [...rebuilt, ...userEntriesNotIn(rebuilt, state.entries)] };
    }
    case "STATE_SNAPSHOT":
      return event.snapshot && typeof event.snapshot === "object"
        ? { ...state, snapshot: event.snapshot as Partial<StateSnapshot> }
        : state;
    default:
      return state; // STATE_DELTA, RAW, ... change nothing shown
  }
}

/** Apply one event or local action; a repeated event id is ignored. */
export function reduce(state: ChatState, action: Action): ChatState {
  if (isLocal(action)) return reduceLocal(state, action);
  const event = action;
  const key = eventId(event);
  if (key !== null && state.seen[key]) return state;
  const next = applyEvent(state, event);
  if (key === null) return next;
  return { ...next, seen: { ...state.seen, [key]: true }, lastEventId: key };
}

/** An event's log id: `id`, or `metadata.eventId` where this service puts it. */
export function eventId(event: AgEvent): string | null {
  if (event.id != null && event.id !== "") return String(event.id);
  const meta = event.metadata;
  if (meta && typeof meta === "object") {
    const id = (meta as Record<string, unknown>).eventId;
    if ((typeof id === "string" && id) || typeof id === "number") return String(id);
  }
  return null;
}

function isLocal(action: Action): action is LocalAction {
  return action.type.startsWith("local/");
}

function reduceLocal(state: ChatState, action: LocalAction): ChatState {
  switch (action.type) {
    case "local/send":
      return {
        ...state,
        error: null,
        entries: [...state.entries, { kind: "user", id: action.id, text: action.text, pending: true }],
      };
    case "local/cart": {
      // A cart changed through REST: the latest cart card shows it.
      const index = findLastIndex(state.entries, (e) => e.kind === "card" && e.name === "CART_CARD");
      if (index < 0) return state;
      const copy = state.entries.slice();
      copy[index] = { ...(copy[index] as Extract<Entry, { kind: "card" }>), data: action.data };
      return { ...state, entries: copy };
    }
    case "local/error":
      return { ...state, error: action.message };
    case "local/reset":
      return initialState;
  }
}

/** Apply many events in order. */
export function reduceAll(state: ChatState, events: Action[]): ChatState {
  return events.reduce(reduce, state);
}

export function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i])) return i;
  return -1;
}

const STEP_LABELS: Record<string, string> = {
  // graph nodes
  understand: "Reading your message",
  sign_in: "Checking sign-in",
  show_menu: "Looking through the menu",
  answer_question: "Looking that up",
  answer_restaurant: "Looking that up",
  add_items: "Updating your cart",
  edit_cart: "Updating your cart",
  show_cart: "Checking your cart",
  clear_cart: "Updating your cart",
  check_out: "Preparing checkout",
  track_order: "Looking up your order",
  cancel_order: "Looking up your order",
  chat: "Writing a reply",
  clarify: "Thinking it over",
  respond: "Writing a reply",
  // tools
  search_menu: "Looking through the menu",
  add_to_cart: "Adding to your cart",
  place_order: "Placing your order",
};

/** A friendly name for a graph node or tool: "search_menu" -> "Looking through the menu". */
export function activityLabel(name: string): string {
  if (STEP_LABELS[name]) return STEP_LABELS[name];
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Working";
}

/** What the assistant is doing now, for the status line; null when idle. */
export function statusText(state: ChatState): string | null {
  if (!state.running) return null;
  const tool = findLastIndex(state.tools, (t) => !t.done);
  if (tool >= 0) return `${activityLabel(state.tools[tool].name)}…`;
  if (state.step) return `${activityLabel(state.step)}…`;
  return "Thinking…";
}
