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

/** An ISO time as a local clock time: "7:45 PM". */
export function clock(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // One formatter for every call: `toLocaleTimeString` builds a new one each time, which the
  // order board, two times per ticket, paid for hundreds of times (bench/README.md).
  clockFormat ??= new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
  return clockFormat.format(date);
}

/** "gluten_free" -> "Gluten free". */
export function humanize(word: string): string {
  const text = word.replace(/[_-]+/g, " ").trim();
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
