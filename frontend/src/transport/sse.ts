/**
 * The SSE transport: the official `@ag-ui/client` HttpAgent against `POST /api/v1/agui`, the
 * session id as AG-UI's threadId. One run at a time; messages sent meanwhile wait their turn.
 */

import { HttpAgent } from "@ag-ui/client";

import type { AgEvent } from "../chat/types";
import type { ChatTransport, TransportHandlers } from "./types";

function newId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

export class SseTransport implements ChatTransport {
  readonly kind = "sse" as const;
  private readonly agent: HttpAgent;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    sessionId: string,
    private readonly handlers: TransportHandlers,
  ) {
    this.agent = new HttpAgent({ url: "/api/v1/agui", threadId: sessionId });
    handlers.onStatus("open");
  }

  send(text: string, messageId: string): void {
    this.queue = this.queue.then(() => this.run(text, messageId));
  }

  private async run(text: string, messageId: string): Promise<void> {
    if (this.closed) return;
    // Only this turn's message: the server holds the conversation in its checkpoint.
    this.agent.setMessages([{ id: messageId, role: "user", content: text }]);
    try {
      await this.agent.runAgent(
        { runId: newId() },
        {
          onEvent: ({ event }) => {
            if (!this.closed) this.handlers.onEvent(event as unknown as AgEvent);
          },
        },
      );
    } catch (error) {
      if (this.closed) return;
      const message = error instanceof Error ? error.message : String(error);
      // HttpAgent's error carries the HTTP status ("HTTP 401: {...}", `status: 401`).
      const status = (error as { status?: unknown } | null)?.status;
      if ([401, 403, 404].includes(Number(status)) || /^HTTP (401|403|404)\b/.test(message)) this.handlers.onSessionGone();
      else this.handlers.onError(`The assistant could not be reached (${message}).`);
    }
  }

  close(): void {
    this.closed = true;
    try {
      this.agent.abortRun();
    } catch {
      /* no run in progress */
    }
  }
}
