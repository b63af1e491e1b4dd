import { useId, useState } from "react";

import { useChatActions } from "../chat/actions";
import type { MenuCardData, MenuItem } from "../chat/types";
import { humanize, money } from "../format";
import { cardView } from "./registry";

const FIRST = 6;

function Badges({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <ul className="badges" aria-label="Dietary">
      {tags.map((tag) => (
        <li key={tag} className={`badge badge-${tag}`}>
          <span className="badge-dot" aria-hidden="true" />
          {humanize(tag)}
        </li>
      ))}
    </ul>
  );
}

function MenuItemRow({ item, currency }: { item: MenuItem; currency: string }) {
  const { chooseOptions, send } = useChatActions();
  const titleId = useId();
  const hasOptions = item.option_groups.length > 0;
  return (
    <li className={`menu-item${item.available ? "" : " unavailable"}`} aria-labelledby={titleId}>
      {item.image ? <img className="menu-item-image" src={item.image} alt="" loading="lazy" width={96} height={96} /> : <div className="menu-item-image" />}
      <div className="menu-item-body">
        <div className="menu-item-head">
          <h3 id={titleId}>{item.label}</h3>
          <span className="price">{money(item.price, currency)}</span>
        </div>
        {item.description ? <p className="menu-item-description">{item.description}</p> : null}
        <Badges tags={item.tags} />
        {item.allergens.length ? (
          <p className="allergens">
            <span className="sr-only">Allergens: </span>
            <span aria-hidden="true">Contains </span>
            {item.allergens.map(humanize).join(", ")}
          </p>
        ) : null}
        <div className="menu-item-actions">
          {item.available ? (
            <button
              type="button"
              className="button button-primary button-small"
              aria-label={`Add ${item.label}${hasOptions ? ", choose options" : ""}`}
              onClick={() => (hasOptions ? chooseOptions(item) : send(`add 1 ${item.label}`))}
            >
              Add
            </button>
          ) : (
            <span className="sold-out">Sold out</span>
          )}
        </div>
      </div>
    </li>
  );
}

export function MenuCard({ data }: { data: MenuCardData }) {
  const [all, setAll] = useState(false);
  const items = Array.isArray(data?.items) ? data.items : [];
  const shown = all ? items : items.slice(0, FIRST);
  const currency = data.currency ?? "USD";
  const title = data.title || (data.restaurant ? `${data.restaurant} menu` : "Menu");
  return (
    <article className="card menu-card" aria-label={title}>
      <h2 className="card-title">{title}</h2>
      {items.length === 0 ? <p className="muted">Nothing matched.</p> : null}
      <ul className="menu-grid">
        {shown.map((item) => (
          <MenuItemRow key={item.key} item={item} currency={currency} />
        ))}
      </ul>
      {items.length > FIRST ? (
        <button type="button" className="button button-ghost" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? "Show fewer" : `Show all ${items.length} dishes`}
        </button>
      ) : null}
    </article>
  );
}

export const view = cardView("MENU_CARD", MenuCard);
