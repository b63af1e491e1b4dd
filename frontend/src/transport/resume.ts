/**
 * Catching up after a dropped connection: `GET /api/v1/chat/{id}/stream?last_event_id=...`
 * answers, as SSE, every event after that id and then the rest of a turn still running.
 */

import type { AgEvent } from "../chat/types";

/** Parses SSE text incrementally: feed chunks, get back the `data:` payloads completed so far. */
export class SseParser {
  private buffer = "";
  private data: string[] = [];

  feed(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      if (line === "") {
        if (this.data.length) out.push(this.data.join("\n"));
        this.data = [];
      } else if (line.startsWith("data:")) {
        this.data.push(line.slice(5).replace(/^ /, ""));
      } // id:, event:, retry: and comments (pings) carry nothing the reducer needs
    }
    return out;
  }
}

/** Streams the missed events to `onEvent`; resolves when the server ends the stream. */
export async function resumeAfter(
  sessionId: string,
  lastEventId: string,
  onEvent: (event: AgEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const url = `/api/v1/chat/${encodeURIComponent(sessionId)}/stream?last_event_id=${encodeURIComponent(lastEventId)}`;
  const response = await fetch(url, {
    headers: { Accept: "text/event-stream", "Last-Event-ID": lastEventId },
    credentials: "same-origin",
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`resume answered ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const data of parser.feed(value)) {
      try {
        const event = JSON.parse(data) as AgEvent;
        if (event && typeof event.type === "string") onEvent(event);
      } catch {
        /* not an event */
      }
    }
  }
}
