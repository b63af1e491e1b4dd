import { useState } from "react";

import { useChatActions } from "../chat/actions";
import type { CartCardData, CartLine } from "../chat/types";
import { humanize, money } from "../format";
import { Charges, Choices } from "./lines";
import { cardView } from "./registry";

function LineRow({ line, currency, live }: { line: CartLine; currency: string; live: boolean }) {
  const { changeQuantity, removeCartLine } = useChatActions();
  const [working, setWorking] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setWorking(true);
    try {
      await action();
    } finally {
      setWorking(false);
    }
  };
  return (
    <li className="cart-line" aria-busy={working}>
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
            disabled={working || line.quantity <= 1}
            onClick={() => run(() => changeQuantity(line.id, line.quantity - 1))}
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
            disabled={working}
            onClick={() => run(() => changeQuantity(line.id, line.quantity + 1))}
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
            disabled={working}
            onClick={() => run(() => removeCartLine(line.id))}
          >
            Remove
          </button>
        ) : null}
      </div>
    </li>
  );
}

export function CartCard({ data, live }: { data: CartCardData; live: boolean }) {
  const { send, busy } = useChatActions();
  const currency = data.currency ?? "USD";
  const lines = Array.isArray(data?.lines) ? data.lines : [];
  const count = lines.reduce((n, l) => n + l.quantity, 0);
  // With an order type the card is checkout's summary, waiting for a yes.
  const review = Boolean(data.order_type);
  const title = review ? "Review your order" : live ? "Your cart" : "Your cart (earlier)";
  return (
    <section className={`card cart-card${live ? "" : " card-past"}`} aria-label={title}>
      <h3 className="card-title">
        {title}
        {count ? <span className="count"> · {count} {count === 1 ? "item" : "items"}</span> : null}
      </h3>
      {lines.length === 0 ? (
        <p className="muted">Your cart is empty.</p>
      ) : (
        <ul className="cart-lines">
          {lines.map((line) => (
            <LineRow key={line.id} line={line} currency={currency} live={live} />
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
    </section>
  );
}

export const view = cardView("CART_CARD", CartCard);
