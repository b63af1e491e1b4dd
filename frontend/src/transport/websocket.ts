/**
 * The WebSocket transport: one socket per session, reconnecting with exponential backoff.
 *
 * Each reconnect asks to resume after the last event id seen (`?last_event_id=`); whatever the
 * server sends again (history on connect, an overlap) is dropped by the reducer's id check, so
 * nothing is lost or shown twice. Messages typed while disconnected wait and go out on reconnect.
 */

import type { AgEvent } from "../chat/types";
import { backoffDelay, type ChatTransport, type TransportHandlers } from "./types";

const SESSION_GONE = new Set([4401, 4403, 4404]);

export function chatSocketUrl(sessionId: string, lastEventId: string | null, base: Location = window.location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  const query = lastEventId ? `?last_event_id=${encodeURIComponent(lastEventId)}` : "";
  return `${scheme}//${base.host}/api/v1/chat/${encodeURIComponent(sessionId)}${query}`;
}

export class WebSocketTransport implements ChatTransport {
  readonly kind = "ws" as const;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private outbox: string[] = [];

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
    this.handlers.onStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(chatSocketUrl(this.sessionId, this.lastEventId()));
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.handlers.onStatus("open");
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
          this.handlers.onEvent(event as AgEvent);
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
    this.socket?.close(1000, "bye");
    this.socket = null;
  }
}
