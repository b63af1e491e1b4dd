import type { LineChoice } from "../chat/types";
import { money } from "../format";

/** "Large 14" · Thin Crust · extra Mushrooms · no Red Onions". */
export function choiceSummary(choices: LineChoice[] | undefined): string {
  return (choices ?? [])
    .map((c) => (c.exclude ? `no ${c.label}` : c.qualifier ? `${c.qualifier} ${c.label}` : c.label))
    .join(" · ");
}

export function Choices({ choices }: { choices: LineChoice[] | undefined }) {
  const text = choiceSummary(choices);
  return text ? <p className="line-choices">{text}</p> : null;
}

/** The delivery fee and tax (when there are any) and the total, as rows of a totals list. */
export function Charges(props: { deliveryFee?: string | null; tax?: string | null; total: string; currency: string }) {
  const { deliveryFee, tax, total, currency } = props;
  return (
    <>
      {deliveryFee && Number(deliveryFee) > 0 ? (
        <div>
          <dt>Delivery</dt>
          <dd>{money(deliveryFee, currency)}</dd>
        </div>
      ) : null}
      {tax ? (
        <div>
          <dt>Tax</dt>
          <dd>{money(tax, currency)}</dd>
        </div>
      ) : null}
      <div className="grand-total">
        <dt>Total</dt>
        <dd>{money(total, currency)}</dd>
      </div>
    </>
  );
}
