import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from "react";

import { ApiError } from "../api";
import { setItemAvailable, setOptionAvailable, setOrdering, staffMenu } from "./api";
import type { Availability as Menu, ItemAvailability, OptionAvailability, Ordering, StaffRole } from "./types";
import "./availability.css";

/** One row of the list: a dish, or an option of a group ("Toppings: Mushrooms"). */
interface Row {
  id: string;
  name: string;
  kind: string;
  available: boolean;
  item?: ItemAvailability;
  option?: OptionAvailability;
}

const SHOWN = 30;

function rowsOf(menu: Menu): Row[] {
  return [
    ...menu.items.map((item) => ({ id: `item:${item.key}`, name: item.label, kind: "Dish", available: item.available, item })),
    ...menu.options.map((option) => ({
      id: `option:${option.group}/${option.key}`,
      name: `${option.group_label}: ${option.label}`,
      kind: "Option",
      available: option.available,
      option,
    })),
  ];
}

/** The rows a search finds (every word in the name, any case); the sold-out ones with none. */
export function findRows(rows: Row[], query: string): Row[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows.filter((row) => !row.available);
  return rows.filter((row) => words.every((word) => row.name.toLowerCase().includes(word))).slice(0, SHOWN);
}

function OrderingControl({ ordering, manager, onChange }: { ordering: Ordering; manager: boolean; onChange(o: Ordering): void }) {
  const messageId = useId();
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = async (paused: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await setOrdering(paused, message.trim()));
      if (!paused) setMessage("");
    } catch (problem) {
      setError((problem as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void change(true);
  };

  return (
    <div className={`ordering${ordering.paused ? " ordering-paused" : ""}`}>
      <p className="ordering-state">
        {ordering.paused
          ? `New orders are paused${ordering.message ? `: “${ordering.message}”` : "."}`
          : "Taking new orders."}
      </p>
      {manager && ordering.paused ? (
        <button type="button" className="button button-primary button-small" disabled={busy} onClick={() => void change(false)}>
          Resume orders
        </button>
      ) : null}
      {manager && !ordering.paused ? (
        <form className="ordering-form" onSubmit={submit}>
          <label htmlFor={messageId}>Message for customers</label>
          <input
            id={messageId}
            className="input"
            maxLength={300}
            placeholder="kitchen full, back in 20 minutes"
            value={message}
            onChange={(event) => setMessage(event.target.value)}
          />
          <button type="submit" className="button button-small" disabled={busy}>
            Pause new orders
          </button>
        </form>
      ) : null}
      {!manager && ordering.paused ? <p className="muted">A manager can resume orders.</p> : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The board's "Sold out" panel: find a dish or an option and mark it sold out or back; a
 * manager also pauses and resumes new orders. Everything is a button or a field: keyboard-only
 * works, and each change is announced. */
export function AvailabilityPanel({ role, onGone }: { role: StaffRole; onGone?: () => void }) {
  const searchId = useId();
  const [menu, setMenu] = useState<Menu | null>(null);
  const [query, setQuery] = useState("");
  const [said, setSaid] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMenu(await staffMenu());
      setError(null);
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 404) return onGone?.();
      setError((problem as Error).message);
    }
  }, [onGone]);

  useEffect(() => {
    void load();
  }, [load]);

  const rows = useMemo(() => (menu ? rowsOf(menu) : []), [menu]);
  const shown = useMemo(() => findRows(rows, query), [rows, query]);

  const toggle = async (row: Row) => {
    const available = !row.available;
    setBusy(row.id);
    setError(null);
    try {
      if (row.item) {
        const item = await setItemAvailable(row.item.key, available);
        setMenu((m) => m && { ...m, items: m.items.map((i) => (i.key === item.key ? item : i)) });
      } else if (row.option) {
        const option = await setOptionAvailable(row.option.group, row.option.key, available);
        setMenu(
          (m) => m && { ...m, options: m.options.map((o) => (o.group === option.group && o.key === option.key ? option : o)) },
        );
      }
      setSaid(`${row.name} ${available ? "is back on the menu" : "marked sold out"}.`);
    } catch (problem) {
      setError((problem as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card availability" aria-labelledby="availability-title">
      <h2 id="availability-title" className="card-title">
        Sold out and paused
      </h2>
      {menu ? (
        <OrderingControl
          ordering={menu.ordering}
          manager={role === "manager"}
          onChange={(ordering) => {
            setMenu((m) => m && { ...m, ordering });
            setSaid(ordering.paused ? "New orders paused." : "Taking new orders again.");
          }}
        />
      ) : null}
      <label htmlFor={searchId} className="availability-search">
        Find a dish or an option
      </label>
      <input
        id={searchId}
        className="input"
        type="search"
        placeholder="margherita, mushrooms…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {menu && !shown.length ? (
        <p className="muted">{query.trim() ? "Nothing on the menu matches." : "Nothing is sold out."}</p>
      ) : null}
      {shown.length ? (
        <ul className="availability-list" aria-label={query.trim() ? "Found" : "Sold out now"}>
          {shown.map((row) => (
            <li key={row.id} className={row.available ? "" : "is-sold-out"}>
              <span className="availability-name">
                {row.name} <span className="muted">· {row.kind}</span>
              </span>
              {row.available ? null : <span className="sold-out-tag">Sold out</span>}
              <button
                type="button"
                className="button button-small"
                disabled={busy === row.id}
                aria-label={row.available ? `Mark ${row.name} sold out` : `Mark ${row.name} available`}
                onClick={() => void toggle(row)}
              >
                {row.available ? "Sold out" : "Available"}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <p className="sr-only" role="status" aria-live="polite">
        {said}
      </p>
    </section>
  );
}
