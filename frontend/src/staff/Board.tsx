import { memo, useCallback, useEffect, useId, useMemo, useReducer, useRef, useState, type FormEvent } from "react";

import { ApiError } from "../api";
import { prepareFormats } from "../format";
import { boardOrders, EVENTS_URL, moveOrder } from "./api";
import { Chime } from "./beep";
import {
  columns,
  COLUMNS,
  initialBoard,
  MOVE_LABEL,
  orderFromEvent,
  readyAtFrom,
  reduceBoard,
  timeInputValue,
  ticketText,
  type FeedMode,
} from "./board";
import { followBoard } from "./feed";
import { MAX_REASON, type BoardOrder, type StatusChange } from "./types";

const MUTED_KEY = "restaurant.staff.muted";
const FEED_LABEL: Record<FeedMode, string> = {
  connecting: "Connecting",
  live: "Live",
  reconnecting: "Reconnecting",
  polling: "Refreshing every 5 s",
};

function storedMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === "1";
  } catch {
    return false;
  }
}

type Move = (order: BoardOrder, change: StatusChange) => Promise<string | null>;
type FormKind = "accept" | "reject";

/** A ticket's own state: the form it shows, a move under way, the last refusal. */
interface TicketState {
  form: FormKind | null;
  working: boolean;
  problem: string | null;
}
const IDLE: TicketState = { form: null, working: false, problem: null };

/** The reject or accept-for-a-time form of one ticket: mounted only while it is open. */
function TicketForm({
  order,
  form,
  working,
  run,
  refuse,
  back,
}: {
  order: BoardOrder;
  form: FormKind;
  working: boolean;
  run(change: StatusChange): void;
  refuse(problem: string): void;
  back(): void;
}) {
  const [value, setValue] = useState(() =>
    form === "accept" ? timeInputValue(order.ready_at, new Date(Date.now() + 20 * 60_000)) : "",
  );
  const fieldId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form === "reject") {
      if (!value.trim()) return refuse("Say why the order is rejected: the customer is told.");
      run({ status: "rejected", reason: value.trim() });
    } else {
      const readyAt = readyAtFrom(value, new Date());
      if (!readyAt) return refuse("Give the ready time as hours and minutes.");
      run({ status: "accepted", ready_at: readyAt });
    }
  };

  return (
    <form className="ticket-form" onSubmit={submit}>
      {form === "reject" ? (
        <>
          <label htmlFor={fieldId}>Reason (the customer is told)</label>
          <input
            id={fieldId}
            className="input"
            value={value}
            maxLength={MAX_REASON}
            onChange={(e) => setValue(e.target.value)}
            autoFocus
            required
          />
        </>
      ) : (
        <>
          <label htmlFor={fieldId}>Ready at</label>
          <input id={fieldId} className="input" type="time" value={value} onChange={(e) => setValue(e.target.value)} autoFocus required />
        </>
      )}
      <div className="ticket-actions">
        <button type="submit" className={`button button-small ${form === "reject" ? "button-danger" : "button-primary"}`} aria-disabled={working}>
          {form === "reject" ? `Reject #${order.number}` : `Accept #${order.number} for this time`}
        </button>
        <button type="button" className="button button-ghost button-small" onClick={back}>
          Back
        </button>
      </div>
    </form>
  );
}

// Memoised: a re-read list keeps the unchanged orders (board.ts), whose tickets then stay as they are.
// A board draws up to 500 of these at once: one state hook, each text a single node, no wrappers
// beyond what the layout and the moves' group need, and aria-busy and aria-disabled only while
// true (false is what their absence means) (bench/README.md, the board render).
const Ticket = memo(function Ticket({
  order,
  fresh,
  onMove,
  onSeen,
}: {
  order: BoardOrder;
  fresh: boolean;
  onMove: Move;
  onSeen(number: string): void;
}) {
  const [ui, setUi] = useState(IDLE);
  const text = ticketText(order);
  const titleId = `ticket-${order.number}`;

  const run = async (change: StatusChange) => {
    if (ui.working) return;
    onSeen(order.number);
    setUi((s) => ({ ...s, working: true, problem: null }));
    const refused = await onMove(order, change);
    setUi((s) => (refused ? { ...s, working: false, problem: refused } : IDLE));
  };

  const open = (form: FormKind) => {
    onSeen(order.number);
    setUi((s) => ({ ...s, form, problem: null }));
  };

  return (
    <article
      className={`ticket ticket-${order.type}${fresh ? " ticket-fresh" : ""}`}
      aria-labelledby={titleId}
      aria-busy={ui.working || undefined}
      data-order={order.number}
      tabIndex={-1}
    >
      <h3 id={titleId}>
        {text.title}
        {fresh ? <span className="ticket-new"> New</span> : null}
      </h3>
      <span className={`ticket-type type-${order.type}`}>{text.type}</span>
      <p className="ticket-who">{text.who}</p>
      <p className="ticket-times">
        {text.placed}
        {text.promised ? <strong>{text.promised}</strong> : null}
      </p>
      {text.address ? <p className="ticket-address">{text.address}</p> : null}
      <p className="ticket-lines">{text.lines}</p>
      <p className="ticket-total">{text.total}</p>
      {ui.form ? (
        <TicketForm
          key={ui.form}
          order={order}
          form={ui.form}
          working={ui.working}
          run={(change) => void run(change)}
          refuse={(problem) => setUi((s) => ({ ...s, problem }))}
          back={() => setUi((s) => ({ ...s, form: null }))}
        />
      ) : (
        <div className="ticket-actions" role="group" aria-label={`Moves for order ${order.number}`}>
          {order.next.map((status) =>
            status === "rejected" ? (
              <button key={status} type="button" className="button button-ghost button-small" aria-disabled={ui.working || undefined} onClick={() => open("reject")}>
                Reject…
              </button>
            ) : (
              <button
                key={status}
                type="button"
                className="button button-primary button-small"
                aria-disabled={ui.working || undefined}
                onClick={() => void run({ status })}
              >
                {MOVE_LABEL[status] ?? status}
              </button>
            ),
          )}
          {order.next.includes("accepted") ? (
            <button type="button" className="button button-ghost button-small" aria-disabled={ui.working || undefined} onClick={() => open("accept")}>
              Accept, new time…
            </button>
          ) : null}
          {fresh ? (
            <button type="button" className="link-button" onClick={() => onSeen(order.number)}>
              Seen
            </button>
          ) : null}
        </div>
      )}
      {ui.problem ? (
        <p className="form-problem" role="alert">
          {ui.problem}
        </p>
      ) : null}
    </article>
  );
});

/** The order board: columns by status, live, with a chime and an announcement for new orders. */
export function Board({ onGone }: { onGone?(): void } = {}) {
  const [state, dispatch] = useReducer(reduceBoard, initialBoard);
  const [muted, setMuted] = useState(storedMuted);
  const [soundReady, setSoundReady] = useState(false);
  const chime = useMemo(() => new Chime(), []);
  const board = useRef<HTMLDivElement>(null);
  // After a move: the order to focus in its new column, or the column it left.
  const focusAfter = useRef<{ number: string; from: string } | null>(null);

  const refresh = useCallback(() => {
    boardOrders()
      .then((orders) => dispatch({ type: "listed", orders }))
      .catch((error: Error) => {
        // 404: this session is no longer a staff member's (signed out, expired, removed).
        if (error instanceof ApiError && error.status === 404 && onGone) onGone();
        else dispatch({ type: "problem", message: `The orders could not be read: ${error.message}` });
      });
  }, [onGone]);

  useEffect(() => {
    refresh();
    // The locale's formatting data loaded while the list is on its way, not while drawing it.
    prepareFormats();
    return followBoard(EVENTS_URL, {
      onMessage: (data) => {
        const order = orderFromEvent(data);
        if (order) dispatch({ type: "changed", order });
        else refresh();
      },
      onCatchUp: refresh,
      onMode: (mode) => dispatch({ type: "feed", mode }),
    });
  }, [refresh]);

  // Sound needs a gesture first: the first click or key anywhere unlocks it.
  useEffect(() => {
    const unlock = () => {
      chime.unlock();
      setSoundReady(chime.unlocked);
    };
    window.addEventListener("pointerdown", unlock, { once: true });
    window.addEventListener("keydown", unlock, { once: true });
    return () => {
      window.removeEventListener("pointerdown", unlock);
      window.removeEventListener("keydown", unlock);
    };
  }, [chime]);

  // A new order: the chime (unless muted), and the count in the tab's title.
  const heard = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const arrived = state.fresh.some((n) => !heard.current.has(n));
    heard.current = new Set(state.fresh);
    if (arrived && !muted) chime.beep();
    document.title = state.fresh.length ? `(${state.fresh.length}) New order · Order board` : "Order board";
  }, [state.fresh, muted, chime]);

  useEffect(() => {
    const target = focusAfter.current;
    if (!target || !board.current) return;
    focusAfter.current = null;
    const ticket = [...board.current.querySelectorAll<HTMLElement>("[data-order]")].find((el) => el.dataset.order === target.number);
    (ticket ?? board.current.querySelector<HTMLElement>(`#column-${target.from}`))?.focus();
  }, [state.orders]);

  const move: Move = useCallback(
    async (order, change) => {
      try {
        const moved = await moveOrder(order.number, change);
        focusAfter.current = { number: order.number, from: order.status };
        dispatch({ type: "changed", order: moved });
        return null;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          // Someone else moved it, or the customer cancelled: say so, and show where it is now.
          dispatch({ type: "problem", message: `Order #${order.number}: ${error.message}` });
          refresh();
          return error.message;
        }
        return (error as Error).message;
      }
    },
    [refresh],
  );

  const toggleMute = () => {
    const next = !muted;
    setMuted(next);
    try {
      localStorage.setItem(MUTED_KEY, next ? "1" : "0");
    } catch {
      /* storage disabled */
    }
  };

  const byColumn = useMemo(() => columns(state.orders), [state.orders]);
  const seen = useCallback((number: string) => dispatch({ type: "acknowledged", number }), []);
  return (
    <div className="board-page">
      <div className="board-bar">
        <span className={`conn conn-${state.feed === "live" ? "open" : state.feed === "polling" ? "open" : "reconnecting"}`}>
          <span className="conn-dot" aria-hidden="true" />
          <span className="conn-label">{FEED_LABEL[state.feed]}</span>
        </span>
        {/* A toggle keeps one name; its state is aria-pressed (and the word beside, for the eye). */}
        <button type="button" className="button button-ghost button-small sound-toggle" aria-pressed={!muted} onClick={toggleMute}>
          Sound alerts<span aria-hidden="true">: {muted ? "off" : "on"}</span>
        </button>
        {!muted && !soundReady ? <span className="muted board-hint">Sound starts after your first click or key press.</span> : null}
      </div>
      {state.fresh.length ? (
        <div className="board-alert">
          <strong>
            {state.fresh.length === 1 ? "New order" : `${state.fresh.length} new orders`}: {state.fresh.map((n) => `#${n}`).join(", ")}
          </strong>
          <button type="button" className="button button-small button-ghost" onClick={() => dispatch({ type: "acknowledged" })}>
            Seen
          </button>
        </div>
      ) : null}
      {/* Read out by screen readers: each new order once. */}
      <p className="sr-only" role="status" aria-live="polite">
        {state.announcement}
      </p>
      {state.problem ? (
        <div className="error-banner" role="alert">
          {state.problem}
          <button type="button" className="link-button" onClick={() => dispatch({ type: "problem", message: null })}>
            Dismiss
          </button>
        </div>
      ) : null}
      <div className="board" ref={board}>
        {COLUMNS.map(({ status, title }) => {
          const orders = byColumn.get(status) ?? [];
          return (
            <section key={status} className={`board-column column-${status}`} aria-labelledby={`column-${status}`}>
              <h2 id={`column-${status}`} tabIndex={-1}>
                {title} <span className="column-count">{orders.length}</span>
              </h2>
              {orders.length ? (
                orders.map((order) => (
                  <Ticket key={order.number} order={order} fresh={state.fresh.includes(order.number)} onMove={move} onSeen={seen} />
                ))
              ) : (
                <p className="muted column-empty">{state.loaded ? "None" : "Loading…"}</p>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
