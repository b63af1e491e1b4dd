import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { CARD_VIEWS } from "../cards";
import { OptionsDialog } from "../cards/OptionsDialog";
import { ChatActionsContext, type ChatActions } from "./actions";
import { findLastIndex, statusText } from "./reducer";
import type { Entry, MenuItem, StateSnapshot } from "./types";
import type { Chat } from "./useChat";

const DEFAULT_CHIPS = ["Show the menu", "What's vegetarian?", "View my cart", "Checkout"];

function CardEntry({ entry, live }: { entry: Extract<Entry, { kind: "card" }>; live: boolean }) {
  const view = CARD_VIEWS.get(entry.name);
  return view ? view.render({ data: entry.data ?? {}, live, receivedAt: entry.receivedAt }) : null;
}

/** Which cards still take input: the latest cart (until an order follows), the last sign-in step. */
function liveCards(entries: Entry[]): Set<string> {
  const live = new Set<string>();
  const lastCart = findLastIndex(entries, (e) => e.kind === "card" && e.name === "CART_CARD");
  const lastOrder = findLastIndex(entries, (e) => e.kind === "card" && e.name === "ORDER_DATA");
  if (lastCart >= 0 && lastCart > lastOrder) live.add(entries[lastCart].id);
  const lastCard = findLastIndex(entries, (e) => e.kind === "card");
  const lastAuth = findLastIndex(entries, (e) => e.kind === "card" && e.name === "AUTH_REQUIRED");
  if (lastAuth >= 0 && lastAuth === lastCard) live.add(entries[lastAuth].id);
  return live;
}

/** Suggestions that fit what the assistant is waiting for: the quick replies it offered (the
 * state snapshot's `quickReplies`, e.g. the lines a "which one?" means), else by `awaiting`. */
export function chipsFor(entries: Entry[], snapshot: Partial<StateSnapshot> | null): string[] {
  const offered = snapshot?.quickReplies;
  if (Array.isArray(offered) && offered.length && offered.every((r) => typeof r === "string")) {
    return offered;
  }
  switch (snapshot?.awaiting) {
    case "order_type":
      return ["Pickup", "Delivery", "Dine-in"];
    case "confirm":
    case "suggestion":
    case "confirm_clear":
    case "confirm_cancel":
      return ["Yes", "No"];
    case "phone":
    case "code":
    case "address":
      return [];
  }
  const last = [...entries].reverse().find((e) => e.kind === "card");
  if (last?.kind === "card" && last.name === "AUTH_REQUIRED") return [];
  if (last?.kind === "card" && last.name === "ORDER_DATA") return ["Where is my order?", "Show the menu"];
  if (last?.kind === "card" && last.name === "CART_CARD") return ["Checkout", "Show the menu", "What's vegetarian?"];
  return DEFAULT_CHIPS;
}

/** "Bella Forno" -> "BF", for the assistant's avatar. */
export function initials(name: string): string {
  const letters = name.split(/\s+/).filter(Boolean).map((word) => word[0]);
  return (letters.join("").slice(0, 2) || "AI").toUpperCase();
}

function Message({ entry, avatar }: { entry: Entry; avatar: string }) {
  if (entry.kind === "user") {
    return (
      <div className={`bubble-row from-user${entry.pending ? " pending" : ""}`}>
        <p className="bubble user-bubble">
          <span className="sr-only">You: </span>
          {entry.text}
        </p>
      </div>
    );
  }
  if (entry.kind === "assistant") {
    if (!entry.text && !entry.streaming) return null;
    return (
      <div className="bubble-row from-assistant">
        <span className="avatar" aria-hidden="true">
          {avatar}
        </span>
        <p className="bubble assistant-bubble" aria-busy={entry.streaming}>
          <span className="sr-only">Assistant: </span>
          {entry.text}
          {entry.streaming ? <span className="caret" aria-hidden="true" /> : null}
        </p>
      </div>
    );
  }
  return null;
}

export function ChatView({ chat, restaurant, currency }: { chat: Chat; restaurant: string; currency: string }) {
  const { state } = chat;
  const [draft, setDraft] = useState("");
  const [choosing, setChoosing] = useState<MenuItem | null>(null);
  // The button that opened the options dialog: the focus goes back to it when the dialog closes.
  const opener = useRef<HTMLElement | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const stick = useRef(true);
  const status = statusText(state);
  const live = useMemo(() => liveCards(state.entries), [state.entries]);
  const chips = chipsFor(state.entries, state.snapshot);

  const actions: ChatActions = useMemo(
    () => ({
      send: chat.send,
      changeQuantity: chat.changeQuantity,
      removeCartLine: chat.removeCartLine,
      chooseOptions: (item: MenuItem) => {
        opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setChoosing(item);
      },
      // Card buttons that send a message wait for the turn in progress: no double checkout.
      busy: state.running,
    }),
    [chat.send, chat.changeQuantity, chat.removeCartLine, state.running],
  );

  // Once the dialog is gone (a modal dialog makes the rest of the page inert while it is open, so
  // focusing anything before then does nothing and the focus would fall to the page's body).
  useEffect(() => {
    if (choosing) return;
    const back = opener.current;
    opener.current = null;
    if (back?.isConnected) back.focus();
    else if (back) input.current?.focus();
  }, [choosing]);

  // Follow the conversation while the reader is at the bottom; leave them be if they scrolled up.
  // Also when the content grows by itself (images loading, a dialog's text streaming in).
  const inner = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = log.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [state.entries, status]);
  useEffect(() => {
    const element = log.current;
    const content = inner.current;
    if (!element || !content || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  // Announce each finished assistant reply once to screen readers (not every streamed token).
  const [announcement, setAnnouncement] = useState("");
  const announced = useRef<string | null>(null);
  useEffect(() => {
    const last = [...state.entries].reverse().find((e) => e.kind === "assistant" && !e.streaming && e.text);
    if (last && last.id !== announced.current) {
      announced.current = last.id;
      setAnnouncement(last.kind === "assistant" ? last.text : "");
    }
  }, [state.entries]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    chat.send(draft);
    setDraft("");
    stick.current = true;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Escape") setDraft("");
  };

  return (
    <ChatActionsContext.Provider value={actions}>
      <section className="chat" aria-label="Chat with the assistant">
        <div
          className="log"
          ref={log}
          role="log"
          aria-live="off"
          aria-label="Conversation"
          tabIndex={0}
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          }}
        >
          <div className="log-inner" ref={inner}>
            <div className="bubble-row from-assistant">
              <span className="avatar" aria-hidden="true">
                {initials(restaurant)}
              </span>
              <p className="bubble assistant-bubble welcome">
                Ciao! I'm the {restaurant} assistant. Ask for the menu, tell me what you'd like — "2 large pepperoni pizzas,
                thin crust" — and I'll put it in your cart.
              </p>
            </div>
            {state.entries.map((entry) =>
              entry.kind === "card" ? (
                <div key={entry.id} className="card-row" data-card={entry.name}>
                  <CardEntry entry={entry} live={live.has(entry.id)} />
                </div>
              ) : (
                <Message key={entry.id} entry={entry} avatar={initials(restaurant)} />
              ),
            )}
          </div>
        </div>
        <div className="status-line" role="status" aria-live="polite">
          {status ? (
            <>
              <span className="dots" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              {status}
            </>
          ) : chat.connection === "reconnecting" ? (
            "Reconnecting…"
          ) : chat.connection === "connecting" ? (
            "Connecting…"
          ) : null}
        </div>
        <p className="sr-only" aria-live="polite">
          {announcement}
        </p>
        {state.error ? (
          <div className="error-banner" role="alert">
            {state.error}
          </div>
        ) : null}
        <div className="composer-area">
          {chips.length ? (
            <div className="chips" role="group" aria-label="Suggestions">
              {chips.map((chip) => (
                <button key={chip} type="button" className="chip" onClick={() => chat.send(chip)}>
                  {chip}
                </button>
              ))}
            </div>
          ) : null}
          <form className="composer" onSubmit={submit}>
            <label htmlFor="message" className="sr-only">
              Message
            </label>
            <input
              id="message"
              ref={input}
              className="input composer-input"
              autoComplete="off"
              placeholder="Tell us what you're craving…"
              value={draft}
              maxLength={2000}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onKeyDown}
            />
            <button type="submit" className="button button-primary send" disabled={!draft.trim()} aria-label="Send message">
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M3 20.5 21 12 3 3.5v6.6L15 12 3 13.9z" fill="currentColor" />
              </svg>
            </button>
          </form>
        </div>
      </section>
      {choosing ? (
        <OptionsDialog
          item={choosing}
          currency={currency}
          onClose={() => setChoosing(null)}
          onAdd={(text) => {
            stick.current = true;
            chat.send(text);
          }}
        />
      ) : null}
    </ChatActionsContext.Provider>
  );
}
