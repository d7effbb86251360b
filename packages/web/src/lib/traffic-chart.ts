// The pure parts of a traffic chart: which window a range asks for, the answer's sparse points turned
// into an even series (a missing point moved nothing, so it is a zero, not a gap), bytes per step turned
// into bytes per second, totals for the text summary, handshake marks, and how axes write numbers and
// times in the reader's language. No DOM, no fetch: tested without a browser.
import type { TrafficHistory } from "../api/types.js";
import { formatBytesIn } from "./bytes.js";

export const TRAFFIC_RANGES = ["hour", "day", "week", "month", "year"] as const;
export type TrafficRange = (typeof TRAFFIC_RANGES)[number];

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const RANGE_MS: Record<TrafficRange, number> = {
  hour: 60 * MINUTE_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  year: 365 * DAY_MS,
};

/** Never more buckets than this are drawn, whatever an answer claims (the API sends at most 1,000). */
const MAX_BUCKETS = 2_000;

export interface TrafficWindow {
  from: string;
  to: string;
}

/**
 * The window of a range ending now. `to` is rounded up to the next whole minute so every refresh
 * within a minute asks the same URL: the client's ETag then turns an unchanged answer into a 304.
 */
export function rangeWindow(range: TrafficRange, now: number = Date.now()): TrafficWindow {
  const to = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
  return { from: new Date(to - RANGE_MS[range]).toISOString(), to: new Date(to).toISOString() };
}

/** An even series for the chart: bucket starts (Unix seconds) and bytes per second in each. */
export interface TrafficSeries {
  times: number[];
  rx: number[];
  tx: number[];
}

/**
 * Every bucket of the answer's window, a zero where the answer has no point. The grid follows the
 * answer's own points (their bucket starts), so buckets aligned to the server's day still line up;
 * a point off the grid is added to the bucket it falls in.
 */
export function fillTraffic(history: TrafficHistory): TrafficSeries {
  const stepMs = history.stepSeconds * 1000;
  const fromMs = Date.parse(history.from);
  const toMs = Date.parse(history.to);
  const first = history.points[0];
  const anchor = first ? Date.parse(first.at) : fromMs;
  const start = anchor - Math.max(0, Math.floor((anchor - fromMs) / stepMs)) * stepMs;
  const count = Math.min(MAX_BUCKETS, Math.max(1, Math.ceil((toMs - start) / stepMs)));
  const rxBytes = new Array<number>(count).fill(0);
  const txBytes = new Array<number>(count).fill(0);
  for (const point of history.points) {
    const index = Math.floor((Date.parse(point.at) - start) / stepMs);
    if (index < 0 || index >= count) continue;
    rxBytes[index] = (rxBytes[index] ?? 0) + point.rxBytes;
    txBytes[index] = (txBytes[index] ?? 0) + point.txBytes;
  }
  return {
    times: rxBytes.map((_, i) => (start + i * stepMs) / 1000),
    rx: rxBytes.map((bytes) => perSecond(bytes, history.stepSeconds)),
    tx: txBytes.map((bytes) => perSecond(bytes, history.stepSeconds)),
  };
}

/** Bytes moved in a step as the average rate over it. */
export function perSecond(bytes: number, stepSeconds: number): number {
  return stepSeconds > 0 ? bytes / stepSeconds : 0;
}

/** The bytes moved in the whole answer, for the summary under the chart. */
export function trafficTotals(history: TrafficHistory): { rxBytes: number; txBytes: number } {
  let rxBytes = 0;
  let txBytes = 0;
  for (const point of history.points) {
    rxBytes += point.rxBytes;
    txBytes += point.txBytes;
  }
  return { rxBytes, txBytes };
}

/** A handshake on the timeline: its time and where it sits across the window (0–100 %). */
export interface HandshakeMark {
  at: string;
  percent: number;
}

/** The handshakes inside the window, as positions across it; outside ones are left out. */
export function handshakeMarks(history: Pick<TrafficHistory, "from" | "to" | "handshakes">): HandshakeMark[] {
  const fromMs = Date.parse(history.from);
  const span = Date.parse(history.to) - fromMs;
  if (!(span > 0)) return [];
  return (history.handshakes ?? [])
    .map((at) => ({ at, percent: ((Date.parse(at) - fromMs) / span) * 100 }))
    .filter((mark) => mark.percent >= 0 && mark.percent <= 100);
}

/** A rate on the value axis and in the legend: "1.50 MiB/s". */
export function formatRateIn(locale: string, bytesPerSecond: number): string {
  return `${formatBytesIn(locale, bytesPerSecond)}/s`;
}

/** How the time axis writes a tick for a range: clock times within a day, dates beyond. */
export function timeTickOptions(range: TrafficRange): Intl.DateTimeFormatOptions {
  switch (range) {
    case "hour":
    case "day":
      return { hour: "numeric", minute: "2-digit" };
    case "week":
      return { weekday: "short", day: "numeric" };
    case "month":
      return { month: "short", day: "numeric" };
    case "year":
      return { year: "2-digit", month: "short" };
  }
}

/** A time-axis tick writer for a range and language (uPlot gives ticks in Unix seconds). */
export function timeTickFormatter(range: TrafficRange, locale: string): (seconds: number) => string {
  const format = new Intl.DateTimeFormat(locale, timeTickOptions(range));
  return (seconds) => format.format(seconds * 1000);
}

/** The legend's time for the bucket under the cursor: date and clock time. */
export function bucketTimeFormatter(locale: string): (seconds: number) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (seconds) => format.format(seconds * 1000);
}

/** "rgb(31, 111, 235)" → "rgba(31, 111, 235, 0.15)"; another syntax gives no fill (never an opaque one). */
export function withAlpha(color: string, alpha: number): string {
  const match = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(color);
  return match ? `rgba(${match[1]}, ${match[2]}, ${match[3]}, ${alpha})` : "transparent";
}
