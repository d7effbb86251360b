// Wall-clock time in a named IANA time zone, with nothing but Intl: the local date and time of an
// instant, and the instants at which a local time occurs (none in a spring-forward gap, two in a
// fall-back hour). One Intl.DateTimeFormat per zone, made once and cached: formatters are expensive to
// build and cheap to use, and a node evaluates thousands of peers on a handful of zones.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the zone by this name (an IANA name such as "Europe/Berlin", or "UTC"). */
export function isTimeZone(name: string): boolean {
  // Offsets ("+01:00") are not zones: they have no daylight saving rules to follow.
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant's wall-clock time in the zone, as milliseconds since the epoch of a UTC clock showing the
 * same date and time ("local ms"): its UTC date fields are the zone's local date fields.
 */
export function localMsOf(instant: number, timeZone: string): number {
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const wholeSeconds = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  );
  // Years 0-99 are mapped to 1900-1999 by Date.UTC; WireGuard peers do not live there.
  return wholeSeconds + mod(instant, 1000);
}

/** The zone's offset from UTC at the instant, in ms (+1 h for Berlin in winter). */
export function offsetAt(instant: number, timeZone: string): number {
  return localMsOf(instant, timeZone) - instant;
}

/**
 * The instants whose wall-clock time in the zone is `localMs`, in order: one normally, two in a
 * fall-back hour, none in a spring-forward gap. Assumes at most one offset change within a day of it.
 */
export function instantsOfLocal(localMs: number, timeZone: string): number[] {
  const offsets = new Set([offsetAt(localMs - DAY_MS, timeZone), offsetAt(localMs + DAY_MS, timeZone)]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const instant = localMs - offset;
    if (localMsOf(instant, timeZone) === localMs) found.add(instant);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The first instant at or after which the wall clock reads `localMs` or later: the instant it occurs,
 * or for a time a spring-forward gap skips, the end of the gap.
 */
export function firstInstantAtOrAfterLocal(localMs: number, timeZone: string): number {
  const exact = instantsOfLocal(localMs, timeZone);
  if (exact.length > 0) return exact[0] as number;
  const before = offsetAt(localMs - DAY_MS, timeZone);
  const after = offsetAt(localMs + DAY_MS, timeZone);
  return offsetChangeBetween(localMs - Math.max(before, after), localMs - Math.min(before, after), timeZone);
}

/**
 * The instant in (from, to] at which the zone's offset changes from its value at `from`, found by
 * bisection to the millisecond; `to` when it does not change.
 */
export function offsetChangeBetween(from: number, to: number, timeZone: string): number {
  const start = offsetAt(from, timeZone);
  if (offsetAt(to, timeZone) === start) return to;
  let low = from;
  let high = to;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (offsetAt(middle, timeZone) === start) low = middle;
    else high = middle;
  }
  return high;
}

/** Instants in (from, to] at which the zone's offset changes, checked day by day. */
export function offsetChangesBetween(from: number, to: number, timeZone: string): number[] {
  const changes: number[] = [];
  let cursor = from;
  let offset = offsetAt(cursor, timeZone);
  while (cursor < to) {
    const next = Math.min(cursor + DAY_MS, to);
    const nextOffset = offsetAt(next, timeZone);
    if (nextOffset !== offset) {
      const change = offsetChangeBetween(cursor, next, timeZone);
      changes.push(change);
      // Two changes within one day do not happen in real zones; continue after this one.
      cursor = change;
      offset = offsetAt(change, timeZone);
      continue;
    }
    cursor = next;
    offset = nextOffset;
  }
  return changes;
}

export function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
