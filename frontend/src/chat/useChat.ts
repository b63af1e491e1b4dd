/** The chat's state and actions: session, transport, reducer, cart calls. */

import { useCallback, useEffect, useReducer, useRef, useState } from "react";

import {
  adoptToken,
  ApiError,
  asCartData,
  createSession,
  forgetSession,
  getCart,
  getHistory,
  removeLine,
  sessionTokenOf,
  setLineQuantity,
  storedSessionId,
} from "../api";
import type { ChatTransport, ConnectionStatus } from "../transport/types";
import { WebSocketTransport } from "../transport/websocket";
import { historyEvents } from "./history";
import { initialState, LOCAL_PREFIX, reduce } from "./reducer";
import type { AgEvent, ChatState } from "./types";

export type TransportKind = "ws" | "sse";
const TRANSPORT_KEY = "restaurant.transport";

/** `?transport=sse` wins, then the saved setting, then WebSocket. */
export function initialTransport(): TransportKind {
  const fromUrl = new URLSearchParams(window.location.search).get("transport");
  if (fromUrl === "sse" || fromUrl === "ws") return fromUrl;
  try {
    return localStorage.getItem(TRANSPORT_KEY) === "sse" ? "sse" : "ws";
  } catch {
    return "ws";
  }
}

let localCounter = 0;
function localId(): string {
  localCounter += 1;
  return `${LOCAL_PREFIX}${Date.now().toString(36)}-${localCounter}`;
}

export interface Chat {
  state: ChatState;
  sessionId: string | null;
  connection: ConnectionStatus;
  transport: TransportKind;
  setTransport(kind: TransportKind): void;
  send(text: string): void;
  changeQuantity(lineId: string, quantity: number): Promise<void>;
  removeCartLine(lineId: string): Promise<void>;
  newConversation(): void;
}

export function useChat(): Chat {
  const [state, dispatch] = useReducer(reduce, initialState);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [connection, setConnection] = useState<ConnectionStatus>("connecting");
  const [transport, setTransportState] = useState<TransportKind>(initialTransport);
  const stateRef = useRef(state);
  stateRef.current = state;
  const transportRef = useRef<ChatTransport | null>(null);
  const renewing = useRef(false);
  // Messages sent before a transport exists (page still connecting) go out once it does.
  const waiting = useRef<[string, string][]>([]);
  const attach = (made: ChatTransport) => {
    transportRef.current = made;
    for (const [text, id] of waiting.current.splice(0)) made.send(text, id);
  };

  const startNewSession = useCallback(async () => {
    if (renewing.current) return;
    renewing.current = true;
    forgetSession();
    dispatch({ type: "local/reset" });
    try {
      setSessionId(await createSession());
    } catch (error) {
      dispatch({ type: "local/error", message: `Could not start a conversation: ${(error as Error).message}` });
      setConnection("closed");
    } finally {
      renewing.current = false;
    }
  }, []);

  // The session: the stored one (a reload resumes it) or a new one.
  useEffect(() => {
    const stored = storedSessionId();
    if (stored) setSessionId(stored);
    else void startNewSession();
  }, [startNewSession]);

  // The transport for this session.
  useEffect(() => {
    if (!sessionId) return;
    const handlers = {
      onEvent: (event: AgEvent) => {
        // A sign-in in the chat: the session's new token goes into the cookie, not the state.
        const token = sessionTokenOf(event);
        if (token !== null) void adoptToken(token);
        else dispatch(event);
      },
      onStatus: setConnection,
      onSessionGone: () => void startNewSession(),
      onError: (message: string) => dispatch({ type: "local/error", message }),
    };
    let cancelled = false;
    let made: ChatTransport | null = null;
    if (transport === "sse") {
      // @ag-ui/client (rxjs, zod) is loaded only by those who choose SSE.
      void import("../transport/sse").then(({ SseTransport }) => {
        if (cancelled) return;
        made = new SseTransport(sessionId, handlers);
        attach(made);
      });
      // SSE runs carry only new turns: the history comes from REST.
      getHistory(sessionId)
        .then((body) => {
          if (!cancelled) historyEvents(body).forEach((event) => dispatch(event));
        })
        .catch((error: unknown) => {
          if (!cancelled && error instanceof ApiError && error.sessionGone) void startNewSession();
        });
    } else {
      made = new WebSocketTransport(sessionId, handlers, () => stateRef.current.lastEventId);
      attach(made);
    }
    return () => {
      cancelled = true;
      made?.close();
      if (transportRef.current === made) transportRef.current = null;
    };
  }, [sessionId, transport, startNewSession]);

  const send = useCallback((raw: string) => {
    const text = raw.trim();
    if (!text) return;
    const id = localId();
    dispatch({ type: "local/send", id, text });
    if (transportRef.current) transportRef.current.send(text, id);
    else waiting.current.push([text, id]);
  }, []);

  const setTransport = useCallback((kind: TransportKind) => {
    try {
      localStorage.setItem(TRANSPORT_KEY, kind);
    } catch {
      /* storage disabled */
    }
    setTransportState(kind);
  }, []);

  const cartCall = useCallback(
    async (call: (sid: string) => Promise<unknown>) => {
      if (!sessionId) return;
      try {
        // The change may answer with the cart, or not: then read it.
        const data = asCartData(await call(sessionId)) ?? asCartData(await getCart(sessionId));
        if (data) dispatch({ type: "local/cart", data });
      } catch (error) {
        if (error instanceof ApiError && error.sessionGone && error.status !== 404) void startNewSession();
        else dispatch({ type: "local/error", message: `The cart could not be changed: ${(error as Error).message}` });
      }
    },
    [sessionId, startNewSession],
  );

  const changeQuantity = useCallback(
    (lineId: string, quantity: number) => cartCall((sid) => setLineQuantity(sid, lineId, quantity)),
    [cartCall],
  );
  const removeCartLine = useCallback((lineId: string) => cartCall((sid) => removeLine(sid, lineId)), [cartCall]);

  return {
    state,
    sessionId,
    connection,
    transport,
    setTransport,
    send,
    changeQuantity,
    removeCartLine,
    newConversation: () => void startNewSession(),
  };
}
