/** Reading the history endpoint's answer. */

import type { AgEvent } from "./types";

/** Events from a history document, whatever its shape (events list, messages list). */
export function historyEvents(body: unknown): AgEvent[] {
  const list = Array.isArray(body) ? body : body && typeof body === "object" ? (body as Record<string, unknown>) : null;
  if (Array.isArray(list)) {
    if (list.every((x) => x && typeof x === "object" && typeof x.type === "string" && !("role" in x && !("messageId" in x)))) {
      return list as AgEvent[];
    }
    return [{ type: "MESSAGES_SNAPSHOT", messages: list }];
  }
  if (list && Array.isArray(list.events)) return list.events as AgEvent[];
  if (list && Array.isArray(list.messages)) {
    const events: AgEvent[] = [{ type: "MESSAGES_SNAPSHOT", messages: list.messages }];
    if (list.state && typeof list.state === "object") events.push({ type: "STATE_SNAPSHOT", snapshot: list.state });
    return events;
  }
  return [];
}
