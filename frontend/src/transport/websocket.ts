/**
 * The WebSocket transport: one socket per session, reconnecting with exponential backoff.
 *
 * On connect the server first sends the history as a short run of its own (a MESSAGES_SNAPSHOT).
 * The first connection passes it on, so a reload shows the whole conversation. A reconnect
 * already has the conversation: it drops that run and instead asks the resume endpoint for every
 * event after the last id seen (then the rest of a turn in progress), holding live frames back
 * until the catch-up ends so text is appended in order; the reducer drops what arrives twice.
 * Messages typed while disconnected wait and go out once the socket is open again.
 */

import { cookiePending } from "../api";
import type { AgEvent } from "../chat/types";
import { resumeAfter } from "./resume";
import { backoffDelay, type ChatTransport, type TransportHandlers } from "./types";

const SESSION_GONE = new Set([4401, 4403, 4404]);
const TERMINAL = new Set(["RUN_FINISHED", "RUN_ERROR"]);

export function chatSocketUrl(sessionId: string, base: Location = window.location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${base.host}/api/v1/chat/${encodeURIComponent(sessionId)}`;
}

export class WebSocketTransport implements ChatTransport {
  readonly kind = "ws" as const;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private opened = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private outbox: string[] = [];
  /** Per connection: still inside the history run the server sends first. */
  private inHistory = false;
  private firstFrame = true;
  /** Live frames held while a resume catches up. */
  private held: AgEvent[] | null = null;
  private resumeAbort: AbortController | null = null;

  constructor(
    private readonly sessionId: string,
    private readonly handlers: TransportHandlers,
    private readonly lastEventId: () => string | null,
  ) {
    this.connect();
    window.addEventListener("online", this.reconnectNow);
  }

  private connect(): void {
    if (this.closed) return;
    const adopting = cookiePending();
    if (adopting) {
      // A sign-in just gave the session a new token, on its way into the cookie: connect with it.
      void adopting.then(() => this.connect());
      return;
    }
    this.handlers.onStatus(this.attempt === 0 && this.opened === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(chatSocketUrl(this.sessionId));
    this.socket = socket;
    this.firstFrame = true;
    this.inHistory = false;
    socket.onopen = () => {
      this.attempt = 0;
      this.opened += 1;
      this.handlers.onStatus("open");
      const last = this.lastEventId();
      if (this.opened > 1 && last) this.resume(last);
      for (const frame of this.outbox.splice(0)) socket.send(frame);
    };
    socket.onmessage = (message) => {
      if (typeof message.data !== "string") return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
        if (event && typeof event === "object" && typeof (event as AgEvent).type === "string") {
          this.receive(event as AgEvent);
        }
      }
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      if (SESSION_GONE.has(close.code)) {
        this.closed = true;
        this.handlers.onStatus("closed");
        this.handlers.onSessionGone();
        return;
      }
      this.scheduleReconnect();
    };
    socket.onerror = () => {
      /* onclose follows and schedules the reconnect */
    };
  }

  private receive(event: AgEvent): void {
    if (this.firstFrame) {
      this.firstFrame = false;
      this.inHistory = event.type === "RUN_STARTED";
    }
    if (this.inHistory) {
      if (TERMINAL.has(event.type)) this.inHistory = false;
      // A session refused on connect ends its "history" with RUN_ERROR: show that.
      if (this.opened > 1 && event.type !== "RUN_ERROR") return;
    }
    if (this.held) this.held.push(event);
    else this.handlers.onEvent(event);
  }

  private resume(last: string): void {
    this.resumeAbort?.abort();
    const abort = new AbortController();
    this.resumeAbort = abort;
    this.held = this.held ?? [];
    // A catch-up that never ends must not hold the live frames back for ever.
    const limit = setTimeout(() => abort.abort(), 60_000);
    resumeAfter(this.sessionId, last, (event) => this.handlers.onEvent(event), abort.signal)
      .catch(() => {
        /* nothing to resume (or the log expired): the live frames still come */
      })
      .finally(() => {
        clearTimeout(limit);
        if (this.resumeAbort !== abort) return;
        this.resumeAbort = null;
        const held = this.held ?? [];
        this.held = null;
        for (const event of held) this.handlers.onEvent(event);
      });
  }

  private scheduleReconnect(): void {
    this.handlers.onStatus("reconnecting");
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private reconnectNow = (): void => {
    if (this.closed || this.socket || !this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  };

  send(text: string): void {
    const frame = JSON.stringify({ type: "message", text });
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
    else this.outbox.push(frame);
  }

  close(): void {
    this.closed = true;
    window.removeEventListener("online", this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.resumeAbort?.abort();
    this.socket?.close(1000, "bye");
    this.socket = null;
  }
}
