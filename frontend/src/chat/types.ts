/** Shapes of the AG-UI events the service streams and of the cards it renders (graph/cards.py). */

export interface Option {
  key: string;
  label: string;
  price: string;
  default?: boolean | null;
}

export interface OptionGroup {
  key: string;
  label: string;
  select: "one" | "many";
  required: boolean;
  min?: number | null;
  max?: number | null;
  qualifiers: string[];
  excludable: boolean;
  options: Option[];
}

export interface MenuItem {
  key: string;
  label: string;
  description?: string | null;
  image?: string | null;
  price: string;
  tags: string[];
  allergens: string[];
  available: boolean;
  category?: string;
  option_groups: OptionGroup[];
}

export interface MenuCardData {
  restaurant?: string;
  currency?: string;
  title?: string | null;
  items: MenuItem[];
}

export interface LineChoice {
  group: string;
  group_label?: string;
  option: string;
  label: string;
  qualifier?: string | null;
  exclude?: boolean;
  price?: string;
  default?: boolean | null;
}

export interface CartLine {
  id: string;
  item: string;
  label: string;
  quantity: number;
  choices: LineChoice[];
  unit_price: string;
  line_total: string;
}

export interface CartCardData {
  lines: CartLine[];
  subtotal: string;
  total: string;
  currency?: string;
  order_type?: string | null;
  delivery_fee?: string;
  tax?: string;
}

export interface OrderCardData {
  number: string | number;
  type: string;
  status: string;
  address?: string | null;
  lines: CartLine[];
  subtotal: string;
  delivery_fee?: string;
  tax?: string;
  total: string;
  currency?: string;
  placed_at?: string;
  estimated_ready_at?: string;
}

export interface AuthCardData {
  step: "phone" | "code";
  phone?: string | null;
  resend_after?: number | null;
}

export type CardName = "MENU_CARD" | "CART_CARD" | "ORDER_DATA" | "AUTH_REQUIRED";
export const CARD_NAMES: readonly CardName[] = ["MENU_CARD", "CART_CARD", "ORDER_DATA", "AUTH_REQUIRED"];

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
  snapshot: Record<string, unknown> | null;
  /** Bumped for every card so "the latest cart" is easy to find. */
  localSeq: number;
}
