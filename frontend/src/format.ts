/** Display helpers. */

const formatters = new Map<string, Intl.NumberFormat>();

/** "12.50" in USD -> "$12.50". */
export function money(amount: string | number | null | undefined, currency = "USD"): string {
  const value = Number(amount ?? 0);
  let formatter = formatters.get(currency);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      formatter = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(currency, formatter);
  }
  return formatter.format(Number.isFinite(value) ? value : 0);
}

let clockFormat: Intl.DateTimeFormat | undefined;
/** Clock times already worked out, by the minute (every time zone's offset is whole minutes). */
const clockTimes = new Map<number, string>();
const MINUTE_MS = 60_000;

/** An ISO time as a local clock time: "7:45 PM". */
export function clock(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // One formatter for every call: `toLocaleTimeString` builds a new one each time, which the
  // order board, two times per ticket, paid for hundreds of times (bench/README.md).
  // And each minute formatted once: a board of 500 asks for 1,000 times, mostly of a few minutes.
  const minute = Math.floor(date.getTime() / MINUTE_MS);
  let text = clockTimes.get(minute);
  if (text === undefined) {
    clockFormat ??= new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
    text = clockFormat.format(date);
    if (clockTimes.size >= 5_000) clockTimes.clear();
    clockTimes.set(minute, text);
  }
  return text;
}

/**
 * Make the formatters `clock` and `money` use now. A page's first Intl formatter loads the
 * locale's data, 19-42 ms in a fresh Chromium page here: the order board calls this while its list is on its
 * way, so that this is not paid in the middle of drawing 500 tickets (bench/README.md).
 */
export function prepareFormats(currency = "USD"): void {
  clock(new Date().toISOString());
  money(0, currency);
}

/** "gluten_free" -> "Gluten free". */
export function humanize(word: string): string {
  const text = word.replace(/[_-]+/g, " ").trim();
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
