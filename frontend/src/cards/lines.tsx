import type { LineChoice } from "../chat/types";

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
