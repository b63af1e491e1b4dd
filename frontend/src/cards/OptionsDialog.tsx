import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";

import type { MenuItem, MenuOption, MenuOptionGroup } from "../chat/types";
import { money } from "../format";
import {
  choiceProblem,
  defaultChoices,
  NONE,
  orderPhrase,
  soldOut,
  unitEstimate,
  type Choices,
  type Qualifier,
} from "./phrase";

interface Props {
  item: MenuItem;
  currency: string;
  onClose(): void;
  onAdd(text: string): void;
}

function optionPrice(price: string, currency: string): string {
  return Number(price) > 0 ? ` +${money(price, currency)}` : "";
}

/** The option's price, or "sold out" in its place (the input is disabled). */
function SoldOutOr({ option, price }: { option: MenuOption; price: string }) {
  return soldOut(option) ? <span className="option-price sold-out">sold out</span> : <span className="option-price">{price}</span>;
}

function OneGroup({ group, choices, setChoices, currency }: { group: MenuOptionGroup; choices: Choices; setChoices(c: Choices): void; currency: string }) {
  const name = useId();
  const choice = choices[group.key] ?? {};
  const fallback = group.options.find((o) => o.default);
  const set = (patch: Partial<Choices[string]>) => setChoices({ ...choices, [group.key]: { ...choice, ...patch } });
  return (
    <fieldset className="option-group">
      <legend>
        {group.label}
        {group.required ? <span className="required"> (required)</span> : null}
      </legend>
      <div className="option-list">
        {group.options.map((option) => (
          <label key={option.key} className={`option${soldOut(option) ? " option-sold-out" : ""}`}>
            <input
              type="radio"
              name={name}
              value={option.key}
              checked={choice.one === option.key}
              disabled={soldOut(option)}
              onChange={() => set({ one: option.key })}
            />
            <span>{option.label}</span>
            <SoldOutOr option={option} price={optionPrice(option.price, currency)} />
          </label>
        ))}
        {group.excludable && fallback && !soldOut(fallback) ? (
          <label className="option">
            <input type="radio" name={name} value={NONE} checked={choice.one === NONE} onChange={() => set({ one: NONE, qualifier: "" })} />
            <span>No {fallback.label}</span>
          </label>
        ) : null}
      </div>
      {group.qualifiers.length && choice.one && choice.one !== NONE ? (
        <label className="qualifier">
          <span>Amount</span>
          <select className="input" value={choice.qualifier ?? ""} onChange={(e) => set({ qualifier: e.target.value as Qualifier })}>
            <option value="">Regular</option>
            {group.qualifiers.map((q) => (
              <option key={q} value={q}>
                {q.charAt(0).toUpperCase() + q.slice(1)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </fieldset>
  );
}

function ManyGroup({ group, choices, setChoices, currency }: { group: MenuOptionGroup; choices: Choices; setChoices(c: Choices): void; currency: string }) {
  const many = choices[group.key]?.many ?? {};
  const update = (next: Record<string, Qualifier>) => setChoices({ ...choices, [group.key]: { many: next } });
  return (
    <fieldset className="option-group">
      <legend>
        {group.label}
        {group.max ? <span className="required"> (up to {group.max})</span> : null}
      </legend>
      <div className="option-list option-list-many">
        {group.options.map((option) => {
          const checked = option.key in many;
          return (
            <div key={option.key} className={`option${checked ? " option-on" : ""}${soldOut(option) ? " option-sold-out" : ""}`}>
              <label className="option-main">
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={soldOut(option) && !checked}
                  onChange={() => {
                    const next = { ...many };
                    if (checked) delete next[option.key];
                    else next[option.key] = "";
                    update(next);
                  }}
                />
                <span>{!checked && option.default && group.excludable ? <s>{option.label}</s> : option.label}</span>
                <SoldOutOr option={option} price={option.default ? "" : optionPrice(option.price, currency)} />
              </label>
              {checked && group.qualifiers.length ? (
                <select
                  className="input input-small"
                  aria-label={`Amount of ${option.label}`}
                  value={many[option.key]}
                  onChange={(e) => update({ ...many, [option.key]: e.target.value as Qualifier })}
                >
                  <option value="">Regular</option>
                  {group.qualifiers.map((q) => (
                    <option key={q} value={q}>
                      {q.charAt(0).toUpperCase() + q.slice(1)}
                    </option>
                  ))}
                </select>
              ) : null}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** The item's options as a modal form; "Add to order" sends the sentence to the chat. */
export function OptionsDialog({ item, currency, onClose, onAdd }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [quantity, setQuantity] = useState(1);
  const [choices, setChoices] = useState<Choices>(() => defaultChoices(item));

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const problem = choiceProblem(item, choices);
  const phrase = useMemo(() => orderPhrase(item, quantity, choices), [item, quantity, choices]);
  const total = unitEstimate(item, choices) * quantity;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    onAdd(phrase);
    onClose();
  };

  return (
    <dialog ref={dialog} className="options-dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <form onSubmit={submit} className="options-form">
        <header className="options-head">
          {item.image ? <img src={item.image} alt="" width={72} height={72} /> : null}
          <div>
            <h2 id={titleId}>{item.label}</h2>
            <p className="muted">{money(item.price, currency)}</p>
          </div>
          <button type="button" className="icon-button close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="options-body">
          {item.description ? <p className="muted">{item.description}</p> : null}
          {item.option_groups.map((group) =>
            group.select === "one" ? (
              <OneGroup key={group.key} group={group} choices={choices} setChoices={setChoices} currency={currency} />
            ) : (
              <ManyGroup key={group.key} group={group} choices={choices} setChoices={setChoices} currency={currency} />
            ),
          )}
        </div>
        <footer className="options-foot">
          <div className="stepper" role="group" aria-label="Quantity">
            {/* aria-disabled at the ends, not disabled: a disabled button would lose the focus. */}
            <button type="button" className="icon-button" aria-label="One fewer" aria-disabled={quantity <= 1} onClick={() => setQuantity(Math.max(1, quantity - 1))}>
              −
            </button>
            <output className="qty" aria-live="polite">{quantity}</output>
            <button type="button" className="icon-button" aria-label="One more" aria-disabled={quantity >= 50} onClick={() => setQuantity(Math.min(50, quantity + 1))}>
              +
            </button>
          </div>
          <button
            type="submit"
            className="button button-primary add-to-order"
            disabled={Boolean(problem)}
            title={problem ?? phrase}
            aria-label={`Add to order, ${money(total, currency)}`}
          >
            Add<span className="wide-only"> to order</span> · {money(total, currency)}
          </button>
        </footer>
        {problem ? <p className="form-problem" role="alert">{problem}</p> : null}
      </form>
    </dialog>
  );
}
