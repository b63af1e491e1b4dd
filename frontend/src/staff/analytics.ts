/**
 * The analytics page's data handling, pure: the default range, the query, what an answer means
 * (figures, "managers only", sign in) and the words and rows the page and its charts show.
 */

import { API } from "../api";
import type { AnalyticsReport } from "./types";

export const DEFAULT_DAYS = 7;
/** The API refuses longer ranges (`MAX_DAYS` in src/restaurant/services/analytics.py). */
export const MAX_DAYS = 366;

export interface DayRange {
  from: string; // YYYY-MM-DD, both days included
  to: string;
}

/** A date's day on the browser's clock, as `<input type="date">` writes it. */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The last `days` days up to `today`, today included (the last 7 by default). */
export function defaultRange(today: Date = new Date(), days: number = DEFAULT_DAYS): DayRange {
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { from: isoDay(first), to: isoDay(today) };
}

function dayNumber(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** What is wrong with a range before asking for it, or null when it can be asked for. */
export function rangeProblem(range: DayRange): string | null {
  const pattern = /^\d{4}-\d{2}-\d{2}$/;
  if (!pattern.test(range.from) || !pattern.test(range.to)) return "Choose both a first and a last day.";
  const days = dayNumber(range.to) - dayNumber(range.from) + 1;
  if (days < 1) return "The last day is before the first.";
  if (days > MAX_DAYS) return `Choose at most ${MAX_DAYS} days (this range has ${days}).`;
  return null;
}

/** The path of the figures for a range. */
export function analyticsPath(range: DayRange): string {
  return `/staff/analytics?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
}

export type Outcome =
  | { kind: "figures"; report: AnalyticsReport }
  | { kind: "managers-only" } // 403: a kitchen member
  | { kind: "sign-in" } // 404: no staff session (signed out, expired, removed)
  | { kind: "problem"; message: string };

/** What the API's answer means for the page. */
export async function outcomeOf(response: Pick<Response, "ok" | "status" | "statusText" | "json">): Promise<Outcome> {
  if (response.ok) return { kind: "figures", report: (await response.json()) as AnalyticsReport };
  if (response.status === 403) return { kind: "managers-only" };
  if (response.status === 404) return { kind: "sign-in" };
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { detail?: string; title?: string };
    message = body.detail ?? body.title ?? message;
  } catch {
    /* not JSON: keep the status text */
  }
  return { kind: "problem", message };
}

/** Ask for the figures of a range (a network failure throws). */
export async function fetchAnalytics(range: DayRange, signal?: AbortSignal): Promise<Outcome> {
  const response = await fetch(`${API}${analyticsPath(range)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal,
  });
  return outcomeOf(response);
}

/** A money amount as the API sends it (decimal text), in the menu's currency. */
export function money(value: string | number | null | undefined, currency = "USD"): string {
  if (value === null || value === undefined || value === "") return "—";
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount);
}

/** A share (0-1) as a percentage with one decimal. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A median, or a dash when there was nothing to take it of. */
export function median(value: number | null, unit: string): string {
  if (value === null) return "—";
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${unit}`;
}

/** A day as a short label ("Dec 5"); the day itself, read as a calendar day, not an instant. */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** An option as a manager reads it: "Size: Large", "Toppings: NO Onions". */
export function optionLabel(option: AnalyticsReport["top_options"][number]): string {
  return `${option.group}: ${option.excluded ? "NO " : ""}${option.option}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The per-day chart's words for a screen reader: totals and the busiest day. */
export function daysSummary(days: AnalyticsReport["days"]): string {
  if (!days.length) return "No days in the range.";
  const conversations = days.reduce((sum, d) => sum + d.conversations, 0);
  const orders = days.reduce((sum, d) => sum + d.orders, 0);
  const busiest = days.reduce((best, d) => (d.orders > best.orders ? d : best), days[0]);
  const first = dayLabel(days[0].day);
  const last = dayLabel(days[days.length - 1].day);
  const words = `${count(conversations, "conversation")} and ${count(orders, "order")} from ${first} to ${last}`;
  return orders ? `${words}; most orders on ${dayLabel(busiest.day)} (${busiest.orders}).` : `${words}.`;
}

/** A bar chart's words for a screen reader: the first few bars and their values. */
export function barsSummary(title: string, bars: { label: string; value: number }[], unit: string): string {
  if (!bars.length) return `${title}: none in the range.`;
  const shown = bars.slice(0, 3).map((b) => `${b.label} ${b.value}`);
  return `${title}, by ${unit}: ${shown.join(", ")}${bars.length > 3 ? `, and ${bars.length - 3} more` : ""}.`;
}

/** The texts not understood, newest first (the API's order, kept if it ever changes). */
export function newestFirst(texts: AnalyticsReport["understanding"]["texts"]): AnalyticsReport["understanding"]["texts"] {
  return [...texts].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
