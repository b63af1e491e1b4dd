import type { OrderCardData } from "../chat/types";
import { clock, humanize, money } from "../format";
import { Charges, choiceSummary } from "./lines";
import { cardView } from "./registry";

export function OrderCard({ data }: { data: OrderCardData }) {
  const currency = data.currency ?? "USD";
  const lines = Array.isArray(data?.lines) ? data.lines : [];
  const ready = clock(data.estimated_ready_at);
  return (
    <article className="card order-card" aria-label={`Order ${data.number}`}>
      <div className="order-head">
        <span className="order-check" aria-hidden="true">✓</span>
        <div>
          <h2 className="card-title">Order #{data.number}</h2>
          <p className="order-sub">
            {humanize(data.type)} · <span className={`status status-${data.status}`}>{humanize(data.status)}</span>
          </p>
        </div>
      </div>
      <dl className="order-facts">
        {ready ? (
          <div>
            <dt>{data.type === "delivery" ? "Estimated arrival" : "Ready for pickup at"}</dt>
            <dd className="order-time">{ready}</dd>
          </div>
        ) : null}
        {data.address ? (
          <div>
            <dt>Deliver to</dt>
            <dd>{data.address}</dd>
          </div>
        ) : null}
      </dl>
      <ul className="order-lines">
        {lines.map((line) => (
          <li key={line.id}>
            <span>
              {line.quantity} × {line.label}
              {line.choices?.length ? <span className="line-choices"> — {choiceSummary(line.choices)}</span> : null}
            </span>
            <span className="price">{money(line.line_total, currency)}</span>
          </li>
        ))}
      </ul>
      <dl className="totals">
        <div>
          <dt>Subtotal</dt>
          <dd>{money(data.subtotal, currency)}</dd>
        </div>
        <Charges deliveryFee={data.delivery_fee} tax={data.tax} total={data.total} currency={currency} />
      </dl>
    </article>
  );
}

export const view = cardView("ORDER_DATA", OrderCard);
