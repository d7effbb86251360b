// The period a traffic quota counts in, in the configuration's time zone: daily from local midnight,
// weekly from local midnight of a weekday, monthly from local midnight of a day of the month (1-28, so
// every month has it), or one period from when the quota was set. Pure: Intl only, through core/time.
import type { QuotaPeriod } from "../api/lifecycle.js";
import { DAY_MS, firstInstantAtOrAfterLocal, localMsOf, mod } from "../time/zoned-time.js";

export interface QuotaPeriodRule {
  period: QuotaPeriod;
  /** weekly: 0 = Sunday … 6; monthly: 1 … 28. Ignored for daily and none. */
  resetDay: number;
}

/** ms since the epoch; `end` is null for period `none` (it never ends). */
export interface QuotaPeriodSpan {
  start: number;
  end: number | null;
}

/**
 * The period that contains `at`. `setAt` is when the quota was set: the start of a `none` period.
 * A local midnight a daylight-saving change skips starts the period at the end of the gap.
 */
export function quotaPeriodAt(
  rule: QuotaPeriodRule,
  at: number,
  timeZone: string,
  setAt: number,
): QuotaPeriodSpan {
  if (rule.period === "none") return { start: setAt, end: null };
  let startLocal = periodStartLocal(rule, localMsOf(at, timeZone));
  // A local time repeated by a fall-back hour can name a period whose boundaries lie on the other side
  // of `at`; step to the period that really holds it (at most a step or two).
  for (let step = 0; step < 3; step++) {
    const start = firstInstantAtOrAfterLocal(startLocal, timeZone);
    if (start > at) {
      startLocal = previousStartLocal(rule, startLocal);
      continue;
    }
    const nextLocal = nextStartLocal(rule, startLocal);
    const end = firstInstantAtOrAfterLocal(nextLocal, timeZone);
    if (end <= at) {
      startLocal = nextLocal;
      continue;
    }
    return { start, end };
  }
  throw new Error(`no ${rule.period} period holds ${new Date(at).toISOString()} in ${timeZone}`);
}

/** The local start ("local ms", see localMsOf) of the period holding the local time. */
function periodStartLocal(rule: QuotaPeriodRule, local: number): number {
  const midnight = local - mod(local, DAY_MS);
  if (rule.period === "daily") return midnight;
  if (rule.period === "weekly") {
    const weekday = new Date(midnight).getUTCDay();
    return midnight - mod(weekday - rule.resetDay, 7) * DAY_MS;
  }
  const date = new Date(midnight);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const thisMonth = Date.UTC(year, month, rule.resetDay);
  return midnight >= thisMonth ? thisMonth : Date.UTC(year, month - 1, rule.resetDay);
}

function nextStartLocal(rule: QuotaPeriodRule, startLocal: number): number {
  if (rule.period === "daily") return startLocal + DAY_MS;
  if (rule.period === "weekly") return startLocal + 7 * DAY_MS;
  const date = new Date(startLocal);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, rule.resetDay);
}

function previousStartLocal(rule: QuotaPeriodRule, startLocal: number): number {
  if (rule.period === "daily") return startLocal - DAY_MS;
  if (rule.period === "weekly") return startLocal - 7 * DAY_MS;
  const date = new Date(startLocal);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, rule.resetDay);
}
