// Weekly schedules: whether an instant lies in one of a schedule's windows, read on the wall clock of
// the schedule's time zone, and the next instant at which that answer changes. A window is on each of
// its days from `from` (inclusive) to `to` (exclusive); a `to` at or before `from` ends on the next
// day. Across daylight saving changes the wall clock decides: a window starting in a skipped hour
// starts when the gap ends, and a repeated hour is in a window both times.
import type { AccessSchedule } from "../protocol/v1.js";
import {
  DAY_MS,
  firstInstantAtOrAfterLocal,
  instantsOfLocal,
  localMsOf,
  MINUTE_MS,
  mod,
  offsetChangesBetween,
  WEEK_MS,
} from "../time/zoned-time.js";

/** "HH:MM" (00:00-24:00) as minutes after midnight. */
export function clockMinutes(text: string): number {
  const [hours, minutes] = text.split(":");
  return Number(hours) * 60 + Number(minutes);
}

/** A window on one day as [start, end) in ms since the local week began (Sunday 00:00); end may pass a week. */
interface WeekSpan {
  start: number;
  end: number;
}

function spansOf(schedule: AccessSchedule): WeekSpan[] {
  const spans: WeekSpan[] = [];
  for (const window of schedule.windows) {
    const from = clockMinutes(window.from) * MINUTE_MS;
    const to = clockMinutes(window.to) * MINUTE_MS;
    const length = to > from ? to - from : DAY_MS - from + to;
    for (const day of window.days)
      spans.push({ start: day * DAY_MS + from, end: day * DAY_MS + from + length });
  }
  return spans;
}

// Schedules are few and shared by many peers: their spans are computed once per schedule object.
const spanCache = new WeakMap<AccessSchedule, WeekSpan[]>();

function cachedSpans(schedule: AccessSchedule): WeekSpan[] {
  let spans = spanCache.get(schedule);
  if (spans === undefined) {
    spans = spansOf(schedule);
    spanCache.set(schedule, spans);
  }
  return spans;
}

/** ms since Sunday 00:00 of the local week, for local ms (1970-01-01 was a Thursday: day 4). */
function weekPosition(localMs: number): number {
  return mod(localMs + 4 * DAY_MS, WEEK_MS);
}

/** Whether the instant is inside one of the schedule's windows, on the schedule zone's wall clock. */
export function isInSchedule(schedule: AccessSchedule, instant: number): boolean {
  const position = weekPosition(localMsOf(instant, schedule.timeZone));
  return cachedSpans(schedule).some(
    (span) =>
      (span.start <= position && position < span.end) ||
      (span.start <= position + WEEK_MS && position + WEEK_MS < span.end),
  );
}

/** How far ahead the change search looks; past it, the caller is asked to look again. */
export const SCHEDULE_HORIZON_MS = 7 * DAY_MS;

/**
 * The first instant after `now` at which isInSchedule changes its answer, or, when it does not change
 * within SCHEDULE_HORIZON_MS, `now` + that horizon (the answer is the same until then: check again).
 */
export function nextScheduleChangeAt(schedule: AccessSchedule, now: number): number {
  const key = scheduleKey(schedule);
  const known = answers.get(key);
  // The answer is constant on [from, next): any instant in between has the same next change.
  if (known && known.from <= now && now < known.next) return known.next;
  const inside = isInSchedule(schedule, now);
  let next = now + SCHEDULE_HORIZON_MS;
  for (const candidate of changeCandidates(schedule, now)) {
    if (isInSchedule(schedule, candidate) !== inside) {
      next = candidate;
      break;
    }
  }
  if (answers.size >= MAX_REMEMBERED) answers.clear();
  answers.set(key, { from: now, next });
  return next;
}

// Many peers share one schedule (sent as separate but equal objects): the last answer per distinct
// schedule is remembered, so a node re-evaluating thousands of peers at a window edge searches once.
const MAX_REMEMBERED = 4096;
const answers = new Map<string, { from: number; next: number }>();
const keys = new WeakMap<AccessSchedule, string>();

function scheduleKey(schedule: AccessSchedule): string {
  let key = keys.get(schedule);
  if (key === undefined) {
    key = JSON.stringify(schedule);
    keys.set(schedule, key);
  }
  return key;
}

/**
 * Every instant in (now, now + horizon] at which the answer may change, sorted: each window edge as the
 * wall clock meets it (both times in a repeated hour, at the gap's end in a skipped one), and every
 * offset change (the wall clock jumps there, possibly over an edge or back into a window).
 */
function changeCandidates(schedule: AccessSchedule, now: number): number[] {
  const zone = schedule.timeZone;
  const end = now + SCHEDULE_HORIZON_MS;
  const localNow = localMsOf(now, zone);
  const firstWeek = localNow - weekPosition(localNow) - WEEK_MS;
  const candidates = new Set<number>(offsetChangesBetween(now, end, zone));
  for (let week = firstWeek; week <= localNow + 2 * WEEK_MS; week += WEEK_MS) {
    for (const span of cachedSpans(schedule)) {
      for (const edge of [week + span.start, week + span.end]) {
        // Offsets are within a day of UTC: edges farther out cannot fall in the horizon.
        if (edge < localNow - DAY_MS || edge > localNow + SCHEDULE_HORIZON_MS + DAY_MS) continue;
        for (const instant of edgeInstants(edge, zone)) {
          if (instant > now && instant <= end) candidates.add(instant);
        }
      }
    }
  }
  return [...candidates].sort((a, b) => a - b);
}

function edgeInstants(localMs: number, zone: string): number[] {
  const exact = instantsOfLocal(localMs, zone);
  return exact.length > 0 ? exact : [firstInstantAtOrAfterLocal(localMs, zone)];
}
