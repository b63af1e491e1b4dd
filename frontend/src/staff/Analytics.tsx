import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";

import {
  barsSummary,
  dayLabel,
  daysSummary,
  defaultRange,
  fetchAnalytics,
  median,
  money,
  newestFirst,
  optionLabel,
  percent,
  rangeProblem,
  type DayRange,
  type Outcome,
} from "./analytics";
import { BarChart } from "./BarChart";
import type { AnalyticsReport } from "./types";

/** `/staff/analytics` (managers): the figures for a range of days, each chart with its table. */
export function Analytics({ onGone }: { onGone(): void }) {
  const [range, setRange] = useState<DayRange>(() => defaultRange());
  const [asked, setAsked] = useState<DayRange>(range);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fromId = useId();
  const toId = useId();
  const problemId = useId();
  const latest = useRef<AbortController | null>(null);

  const load = useCallback(
    async (wanted: DayRange) => {
      latest.current?.abort();
      const controller = new AbortController();
      latest.current = controller;
      setLoading(true);
      try {
        const answer = await fetchAnalytics(wanted, controller.signal);
        if (controller.signal.aborted) return;
        if (answer.kind === "sign-in") return onGone();
        setOutcome(answer);
        setAsked(wanted);
      } catch (error) {
        if (controller.signal.aborted) return;
        setOutcome({ kind: "problem", message: (error as Error).message });
      } finally {
        if (latest.current === controller) setLoading(false);
      }
    },
    [onGone],
  );

  useEffect(() => {
    void load(asked);
    return () => latest.current?.abort();
    // The first range only: later ones are asked for by the form.
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wrong = rangeProblem(range);
    setProblem(wrong);
    if (!wrong) void load(range);
  };

  if (outcome?.kind === "managers-only") {
    return (
      <section className="card staff-signin" aria-labelledby="managers-only-title">
        <h2 id="managers-only-title" className="card-title">
          Managers only
        </h2>
        <p>The analytics are for the restaurant's managers. Your account is a kitchen account: the order board is yours.</p>
        <a className="button button-primary" href="/staff/">
          Go to the board
        </a>
      </section>
    );
  }

  return (
    <div className="analytics">
      <form className="analytics-range" onSubmit={submit} aria-describedby={problem ? problemId : undefined}>
        <div className="analytics-field">
          <label htmlFor={fromId}>From</label>
          <input
            id={fromId}
            className="input input-small"
            type="date"
            name="from"
            value={range.from}
            onChange={(e) => setRange({ ...range, from: e.target.value })}
          />
        </div>
        <div className="analytics-field">
          <label htmlFor={toId}>To</label>
          <input
            id={toId}
            className="input input-small"
            type="date"
            name="to"
            value={range.to}
            onChange={(e) => setRange({ ...range, to: e.target.value })}
          />
        </div>
        <button type="submit" className="button button-primary button-small" aria-disabled={loading}>
          Show
        </button>
        <p className="muted analytics-status" role="status">
          {loading ? "Reading the figures…" : outcome?.kind === "figures" ? `Showing ${dayLabel(asked.from)} to ${dayLabel(asked.to)}` : ""}
        </p>
        {problem ? (
          <p id={problemId} className="form-problem" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
      {outcome?.kind === "problem" ? (
        <div className="error-banner" role="alert">
          The analytics could not be read: {outcome.message}{" "}
          <button type="button" className="link-button" onClick={() => void load(asked)}>
            Try again
          </button>
        </div>
      ) : null}
      {outcome?.kind === "figures" ? <Figures report={outcome.report} /> : null}
    </div>
  );
}

function Figures({ report }: { report: AnalyticsReport }) {
  const { orders, pace, understanding } = report;
  const items = report.top_items.map((i) => ({ label: i.label, value: i.quantity }));
  const options = report.top_options.map((o) => ({ label: optionLabel(o), value: o.quantity }));
  const missed = newestFirst(understanding.texts);
  return (
    <>
      <div className="analytics-head">
        <section className="card" aria-labelledby="analytics-figures-title">
          <h2 id="analytics-figures-title" className="card-title">
            At a glance
          </h2>
          <dl className="analytics-figures">
            <div>
              <dt>Conversations</dt>
              <dd>{orders.conversations}</dd>
            </div>
            <div>
              <dt>Orders</dt>
              <dd>{orders.orders}</dd>
            </div>
            <div>
              <dt>Conversion</dt>
              <dd>{percent(orders.conversion)}</dd>
            </div>
            <div>
              <dt>Revenue</dt>
              <dd>{money(orders.revenue)}</dd>
            </div>
            <div>
              <dt>Average order</dt>
              <dd>{money(orders.average_order_value)}</dd>
            </div>
            <div>
              <dt>Median turns to an order</dt>
              <dd>{median(pace.median_turns, "turns")}</dd>
            </div>
            <div>
              <dt>Median time to an order</dt>
              <dd>{median(pace.median_minutes, "min")}</dd>
            </div>
            <div>
              <dt>Not understood</dt>
              <dd>
                {percent(understanding.share)} ({understanding.not_understood} of {understanding.turns} turns)
              </dd>
            </div>
          </dl>
          <p className="muted analytics-zone">Days on the restaurant's clock ({report.timezone}).</p>
        </section>
        <BarChart
          title="Conversations and orders per day"
          summary={daysSummary(report.days)}
          labels={report.days.map((d) => dayLabel(d.day))}
          series={[
            { label: "Conversations", values: report.days.map((d) => d.conversations) },
            { label: "Orders", values: report.days.map((d) => d.orders) },
          ]}
          headers={["Day", "Conversations", "Orders"]}
          rows={report.days.map((d) => [dayLabel(d.day), d.conversations, d.orders])}
        />
      </div>
      <div className="analytics-pair">
        <BarChart
          title="Top items"
          summary={barsSummary("Top items", items, "units ordered")}
          labels={items.map((i) => i.label)}
          series={[{ label: "Units", values: items.map((i) => i.value) }]}
          horizontal
          headers={["Item", "Units", "Orders", "Revenue"]}
          rows={report.top_items.map((i) => [i.label, i.quantity, i.orders, money(i.revenue)])}
        />
        <BarChart
          title="Top options"
          summary={barsSummary("Top options", options, "units ordered")}
          labels={options.map((o) => o.label)}
          series={[{ label: "Units", values: options.map((o) => o.value) }]}
          horizontal
          headers={["Option", "Units", "Lines"]}
          rows={report.top_options.map((o) => [optionLabel(o), o.quantity, o.lines])}
        />
      </div>
      <section className="card" aria-labelledby="analytics-missed-title">
        <h2 id="analytics-missed-title" className="card-title">
          Not understood, newest first
        </h2>
        {missed.length ? (
          <ol className="analytics-missed">
            {missed.map((t) => (
              <li key={`${t.session_id}-${t.at}`}>
                <q>{t.text}</q>{" "}
                <time className="muted" dateTime={t.at}>
                  {new Date(t.at).toLocaleString("en-US", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" })}
                </time>
              </li>
            ))}
          </ol>
        ) : (
          <p className="muted">The assistant understood every message in this range.</p>
        )}
      </section>
    </>
  );
}
