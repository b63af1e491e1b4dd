/**
 * A bar chart with its text alternative: the canvas is an image whose name is a summary, and
 * the same figures follow as a table, which keyboard and screen-reader users read instead.
 *
 * Chart.js (with react-chartjs-2, its React wrapper): both well kept, a canvas rather than
 * thousands of SVG nodes, no styles injected (the CSP allows our own scripts only), and only the
 * parts registered below end up in the bundle. Recharts would have been the other choice; its
 * SVG carries its own keyboard layer, which would duplicate the tables here.
 */

import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from "chart.js";
import { useId } from "react";
import { Bar } from "react-chartjs-2";

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

const COLOURS = ["#8c2f1b", "#d6a02a", "#3f6e5a"];

export interface Series {
  label: string;
  values: number[];
}

export function BarChart({
  title,
  summary,
  labels,
  series,
  horizontal = false,
  headers,
  rows,
}: {
  title: string;
  /** The chart in words: the canvas's accessible name. */
  summary: string;
  labels: string[];
  series: Series[];
  horizontal?: boolean;
  /** The table's column headers; its rows' first cell heads the row. */
  headers: string[];
  rows: (string | number)[][];
}) {
  const titleId = useId();
  const height = horizontal ? Math.max(160, labels.length * 32 + 60) : 260;
  return (
    <section className="card analytics-chart" aria-labelledby={titleId}>
      <h2 id={titleId} className="card-title">
        {title}
      </h2>
      {labels.length ? (
        <div className="analytics-canvas" style={{ height }}>
          <Bar
            role="img"
            aria-label={summary}
            data={{
              labels,
              datasets: series.map((s, n) => ({ label: s.label, data: s.values, backgroundColor: COLOURS[n % COLOURS.length] })),
            }}
            options={{
              indexAxis: horizontal ? "y" : "x",
              maintainAspectRatio: false,
              animation: false,
              plugins: { legend: { display: series.length > 1 } },
              scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
            }}
          >
            {summary}
          </Bar>
        </div>
      ) : null}
      {rows.length ? (
        <table className="analytics-table">
          <caption className="sr-only">{title}, as a table</caption>
          <thead>
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(row[0])}>
                {row.map((cell, n) =>
                  n === 0 ? (
                    <th key={n} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={n}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">None in this range.</p>
      )}
    </section>
  );
}
