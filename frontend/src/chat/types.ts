/** Shapes of the AG-UI events the service streams; the cards' are generated from graph/cards.py (wire.gen.ts). */

import { CardName as CardNames, type Cards, type StateSnapshot } from "./wire.gen";

export type {
  AuthCardData,
  CartCardData,
  CartLine,
  Cards,
  LineChoice,
  MenuCardData,
  MenuItem,
  MenuOption,
  MenuOptionGroup,
  OrderCardData,
  SessionToken,
  StateSnapshot,
} from "./wire.gen";

/** A card's name, e.g. "CART_CARD": the name of the CUSTOM event that carries its data. */
export type CardName = keyof Cards;
export const CARD_NAMES: readonly CardName[] = Object.values(CardNames);

/** The CUSTOM event that hands this connection its session's new token after a sign-in in the
 * chat (src/restaurant/agui/mapping.py): not a card, never shown, never in the history. */
export const SESSION_TOKEN = "SESSION_TOKEN";

/** One AG-UI event as JSON: only the fields this UI reads are named. */
export interface AgEvent {
  type: string;
  id?: string | number | null;
  runId?: string;
  threadId?: string;
  messageId?: string;
  role?: string;
  delta?: string;
  stepName?: string;
  toolCallId?: string;
  toolCallName?: string;
  content?: string;
  name?: string;
  value?: unknown;
  message?: string;
  code?: string | null;
  snapshot?: unknown;
  messages?: unknown;
  timestamp?: number;
  metadata?: unknown;
  [key: string]: unknown;
}

export type Entry =
  | { kind: "user"; id: string; text: string; pending?: boolean }
  | { kind: "assistant"; id: string; text: string; streaming: boolean }
  | { kind: "card"; id: string; name: CardName; data: unknown; receivedAt: number; runId?: string | null };

export interface ToolCall {
  id: string;
  name: string;
  args: string;
  done: boolean;
  result?: string;
}

export interface ChatState {
  /** Ids of events already applied: a replayed or repeated event changes nothing. */
  seen: Record<string, true>;
  lastEventId: string | null;
  entries: Entry[];
  running: boolean;
  runId: string | null;
  /** Runs already finished, so a late duplicate RUN_FINISHED/RUN_STARTED is ignored. */
  finishedRuns: Record<string, true>;
  step: string | null;
  /** Steps of the current (or last) run in order, for the graph page's trail. */
  trail: string[];
  tools: ToolCall[];
  error: string | null;
  /** The latest STATE_SNAPSHOT: what the assistant is waiting for (`awaiting`), sign-in, checkout. */
  snapshot: Partial<StateSnapshot> | null;
  /** Bumped for every card so "the latest cart" is easy to find. */
  localSeq: number;
}
