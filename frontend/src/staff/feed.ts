/**
 * The board's live feed: Server-Sent Events from `GET /api/v1/staff/events`.
 *
 * - Each event's data goes to `onMessage` (the board takes an order from it, or re-reads).
 * - EventSource reconnects by itself and sends `Last-Event-ID`; on every (re)open the board also
 *   re-reads its list (`onCatchUp`), so nothing missed while away stays missing.
 * - The service does not serve the events endpoint yet (issue 19: SSE fed from Redis comes
 *   later). When the browser gives up on the stream and the endpoint answers 404, the board
 *   falls back to re-reading the list every 5 s (`POLL_MS`); any other failure (a replica
 *   restarting, the network) is retried after `RETRY_MS`, with the list re-read meanwhile.
 */

import type { FeedMode } from "./board";

export const POLL_MS = 5_000;
export const RETRY_MS = 3_000;
/** Event names besides the unnamed `message` that may carry an order. */
export const EVENT_NAMES = ["order"];

export interface FeedHandlers {
  onMessage(data: string): void;
  onCatchUp(): void;
  onMode(mode: FeedMode): void;
}

/** What the feed needs from the browser (tests give fakes). */
export interface FeedDeps {
  EventSource: { new (url: string): EventSource; readonly CLOSED: number } | undefined;
  fetch(url: string, init?: RequestInit): Promise<{ status: number }>;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

function browserDeps(): FeedDeps {
  return {
    EventSource: typeof EventSource === "undefined" ? undefined : EventSource,
    fetch: (url, init) => fetch(url, init),
    setTimeout: (run, ms) => setTimeout(run, ms),
    clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  };
}

/** Whether the events endpoint is missing: a plain GET, closed as soon as its status is known. */
async function missing(url: string, deps: FeedDeps): Promise<boolean> {
  const controller = typeof AbortController === "undefined" ? null : new AbortController();
  try {
    const response = await deps.fetch(url, { headers: { Accept: "text/event-stream" }, credentials: "same-origin", signal: controller?.signal });
    return response.status === 404;
  } catch {
    return false; // offline or refused: not the same as missing
  } finally {
    controller?.abort();
  }
}

/** Follow the board's events until the returned function is called. */
export function followBoard(url: string, handlers: FeedHandlers, deps: FeedDeps = browserDeps()): () => void {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: unknown = null;

  const later = (run: () => void, ms: number) => {
    if (timer !== null) deps.clearTimeout(timer);
    timer = deps.setTimeout(() => {
      timer = null;
      if (!stopped) run();
    }, ms);
  };

  const poll = () => {
    handlers.onMode("polling");
    handlers.onCatchUp();
    later(poll, POLL_MS);
  };

  const open = () => {
    if (!deps.EventSource) return poll();
    const made = new deps.EventSource(url);
    source = made;
    // Every open re-reads the list: the first closes the gap between the board's first read
    // and the stream's start, a later one catches up on what happened while away.
    made.onopen = () => {
      handlers.onMode("live");
      handlers.onCatchUp();
    };
    const onMessage = (event: MessageEvent) => handlers.onMessage(String(event.data));
    made.onmessage = onMessage;
    for (const name of EVENT_NAMES) made.addEventListener(name, onMessage as EventListener);
    made.onerror = () => {
      if (stopped) return;
      handlers.onMode("reconnecting");
      if (made.readyState !== deps.EventSource!.CLOSED) return; // the browser retries by itself
      // The browser gave up: a status other than 200, or not an event stream.
      made.close();
      source = null;
      void missing(url, deps).then((gone) => {
        if (stopped) return;
        if (gone) poll();
        else {
          handlers.onCatchUp();
          later(open, RETRY_MS);
        }
      });
    };
  };

  open();
  return () => {
    stopped = true;
    source?.close();
    if (timer !== null) deps.clearTimeout(timer);
  };
}
