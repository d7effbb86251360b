// How the app writes times, byte counts and percentages for people, in the app's language (digits,
// separators and words follow it). Pure functions of their inputs, the language and `now`, so they are
// tested without a browser.
import { formattingLocale, t } from "../i18n/index.js";
import { formatBytesIn } from "./bytes.js";

// Building an Intl formatter is far slower than using one, and a table formats thousands of numbers.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const cacheKey = `${locale}|${key}`;
  let format = numberFormats.get(cacheKey);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(cacheKey, format);
  }
  return format;
}

/** 1536 → "1.5 KiB"; whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  return formatBytesIn(formattingLocale(), bytes);
}

/** Bytes per second: "12.3 KiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "just now", "45 s ago", "2 min ago", "3 h ago", "5 d ago"; "never" for null. */
export function timeAgo(iso: string | null, now: number = Date.now()): string {
  if (!iso) return t("common.time.never");
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "—";
  const seconds = Math.max(0, Math.floor((now - then) / 1000));
  if (seconds < 5) return t("common.time.justNow");
  if (seconds < 60) return t("common.time.secondsAgo", { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t("common.time.minutesAgo", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t("common.time.hoursAgo", { n: hours });
  return t("common.time.daysAgo", { n: Math.floor(hours / 24) });
}

/** 0.4321 → "43%" ("43 %" in German); values above 0 but below 1% show as "<1%". */
export function formatPercent(ratio: number): string {
  const percent = numberFormat(formattingLocale(), "percent", { style: "percent", maximumFractionDigits: 0 });
  if (!Number.isFinite(ratio) || ratio <= 0) return percent.format(0);
  if (ratio < 0.01) return `<${percent.format(0.01)}`;
  return percent.format(Math.round(Math.min(ratio, 1) * 100) / 100);
}

/** A key shortened for tables: "abcdefgh…wxyz=". */
export function shortKey(key: string): string {
  return key.length <= 16 ? key : `${key.slice(0, 8)}…${key.slice(-5)}`;
}

/** "1,234" ("1.234" in German). */
export function formatCount(value: number): string {
  return numberFormat(formattingLocale(), "count", {}).format(value);
}

/** An ISO time as the reader's local date and time, for titles and detail lists. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toLocaleString(formattingLocale());
}

/** An ISO time as the reader's local date, short ("Dec 5, 2026"), for table cells. */
export function formatDate(iso: string | null): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? "—"
    : date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

/** "a, b" → ["a", "b"]: comma- or whitespace-separated lists typed into a field. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
