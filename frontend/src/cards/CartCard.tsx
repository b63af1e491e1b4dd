import { useEffect, useRef, useState } from "react";

import { useChatActions } from "../chat/actions";
import type { CartCardData, CartLine } from "../chat/types";
import { humanize, money } from "../format";
import { Charges, Choices } from "./lines";
import { cardView } from "./registry";

/**
 * One cart line. While a change is on its way its buttons are `aria-disabled`, not `disabled`: a
 * disabled button loses the focus (to the page body), and a keyboard user must stay where they
 * pressed. A click on an `aria-disabled` button does nothing.
 */
function LineRow({ line, currency, live, onRemove }: { line: CartLine; currency: string; live: boolean; onRemove(line: CartLine): Promise<void> }) {
  const { changeQuantity } = useChatActions();
  const [working, setWorking] = useState(false);
  const run = async (action: () => Promise<void>) => {
    if (working) return;
    setWorking(true);
    try {
      await action();
    } finally {
      setWorking(false);
    }
  };
  const fewerOff = working || line.quantity <= 1;
  return (
    <li className="cart-line" aria-busy={working} data-line={line.id}>
      <div className="cart-line-main">
        <p className="cart-line-label">
          {live ? null : <span className="qty-static">{line.quantity} × </span>}
          {line.label}
        </p>
        <Choices choices={line.choices} />
      </div>
      {live ? (
        <div className="stepper" role="group" aria-label={`Quantity of ${line.label}`}>
          <button
            type="button"
            className="icon-button"
            aria-label={`One fewer ${line.label}`}
            aria-disabled={fewerOff}
            onClick={() => (fewerOff ? undefined : run(() => changeQuantity(line.id, line.quantity - 1)))}
          >
            −
          </button>
          <output className="qty" aria-live="polite" aria-label={`${line.quantity} ${line.label}`}>
            {line.quantity}
          </output>
          <button
            type="button"
            className="icon-button"
            aria-label={`One more ${line.label}`}
            aria-disabled={working}
            onClick={() => (working ? undefined : run(() => changeQuantity(line.id, line.quantity + 1)))}
          >
            +
          </button>
        </div>
      ) : null}
      <div className="cart-line-end">
        <span className="price">{money(line.line_total, currency)}</span>
        {live ? (
          <button
            type="button"
            className="link-button"
            aria-label={`Remove ${line.label}`}
            aria-disabled={working}
            data-remove=""
            onClick={() => (working ? undefined : run(() => onRemove(line)))}
          >
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}

/**
 * Where the focus goes once a removed line is gone: the Remove button of the line that took its
 * place (or of the last line, when it was the last), else the card's title.
 */
export function focusAfterRemoval(card: HTMLElement, index: number): void {
  const removes = card.querySelectorAll<HTMLElement>("[data-remove]");
  const target = removes.length ? removes[Math.min(index, removes.length - 1)] : card.querySelector<HTMLElement>(".card-title");
  target?.focus();
}

export function CartCard({ data, live }: { data: CartCardData; live: boolean }) {
  const { send, busy, removeCartLine } = useChatActions();
  const card = useRef<HTMLElement>(null);
  // The place of a line being removed, until the card shows it gone.
  const removed = useRef<{ id: string; index: number } | null>(null);
  const currency = data.currency ?? "USD";
  const lines = Array.isArray(data?.lines) ? data.lines : [];
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  // With an order type the card is checkout's summary, waiting for a yes.
  const review = Boolean(data.order_type);
  useEffect(() => {
    const gone = removed.current;
    if (!gone || !card.current || lines.some((l) => l.id === gone.id)) return;
    removed.current = null;
    focusAfterRemoval(card.current, gone.index);
  }, [lines]);
  const onRemove = async (line: CartLine) => {
    removed.current = { id: line.id, index: lines.findIndex((l) => l.id === line.id) };
    await removeCartLine(line.id);
  };
  const title = review ? "Review your order" : live ? "Your cart" : "Your cart (earlier)";
  return (
    <article ref={card} className={`card cart-card${live ? "" : " card-past"}`} aria-label={title}>
      <h2 className="card-title" tabIndex={-1}>
        {title}
        {count ? <span className="count"> · {count} {count === 1 ? "item" : "items"}</span> : null}
      </h2>
      {lines.length === 0 ? (
        <p className="muted">Your cart is empty.</p>
      ) : (
        <ul className="cart-lines">
          {lines.map((line) => (
            <LineRow key={line.id} line={line} currency={currency} live={live} onRemove={onRemove} />
          ))}
        </ul>
      )}
      <dl className="totals">
        <div>
          <dt>Subtotal</dt>
          <dd>{money(data.subtotal, currency)}</dd>
        </div>
        {data.order_type ? (
          <div>
            <dt>Order type</dt>
            <dd>{humanize(data.order_type)}</dd>
          </div>
        ) : null}
        <Charges deliveryFee={data.delivery_fee} tax={data.tax} total={data.total} currency={currency} />
      </dl>
      {live && lines.length ? (
        review ? (
          <button type="button" className="button button-primary button-wide" disabled={busy} onClick={() => send("yes")}>
            Place order · {money(data.total, currency)}
          </button>
        ) : (
          <button type="button" className="button button-primary button-wide" disabled={busy} onClick={() => send("checkout")}>
            Checkout
          </button>
        )
      ) : null}
    </article>
  );
}

export const view = cardView("CART_CARD", CartCard);
