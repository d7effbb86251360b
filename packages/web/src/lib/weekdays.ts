// Weekday names in a language, from Intl (no catalog entry per day): 0 = Sunday … 6 = Saturday, the
// API's numbering. 2023-01-01 was a Sunday.
const cache = new Map<string, string[]>();

export function weekdayNames(locale: string, style: "short" | "long" = "short"): string[] {
  const key = `${locale}|${style}`;
  let names = cache.get(key);
  if (!names) {
    const format = new Intl.DateTimeFormat(locale, { weekday: style, timeZone: "UTC" });
    names = [0, 1, 2, 3, 4, 5, 6].map((day) => format.format(new Date(Date.UTC(2023, 0, 1 + day))));
    cache.set(key, names);
  }
  return names;
}

/** The order the editor and the descriptions read a week in: Monday first (ISO 8601). */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/**
 * The days as people write them: runs of three or more joined ("Mon–Fri"), others listed ("Sat, Sun").
 * Runs follow WEEK_ORDER, so Saturday and Sunday are the week's end, not a run across it.
 */
export function describeDays(days: readonly number[], locale: string): string {
  const names = weekdayNames(locale);
  const order: readonly number[] = WEEK_ORDER;
  const ordered = order.filter((d) => days.includes(d));
  const positions = ordered.map((d) => order.indexOf(d));
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= ordered.length; i++) {
    if (i < ordered.length && positions[i] === (positions[i - 1] ?? 0) + 1) continue;
    const run = ordered.slice(start, i);
    if (run.length >= 3) parts.push(`${names[run[0] ?? 0]}–${names[run[run.length - 1] ?? 0]}`);
    else parts.push(...run.map((d) => names[d] ?? String(d)));
    start = i;
  }
  return parts.join(", ");
}
