/** What a chat transport does, whichever wire it uses. */

import type { AgEvent } from "../chat/types";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface TransportHandlers {
  onEvent(event: AgEvent): void;
  onStatus(status: ConnectionStatus): void;
  /** The server does not know this session (any more): the caller starts a new one. */
  onSessionGone(): void;
  /** A failure worth showing that is not an event (the run could not be started). */
  onError(message: string): void;
}

export interface ChatTransport {
  readonly kind: "ws" | "sse";
  send(text: string, messageId: string): void;
  close(): void;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + (random() * base) / 2);
}
