// "Full in ~N days at the last 7 days' rate": how fast a pool filled over the hourly readings of the
// last week, and how long its free addresses last at that rate. Pure; the readings come from
// pool_usage_hours (alert.repository.ts), written by the alert engine each tick.

export const FORECAST_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/**
 * Less history than an hour says nothing about a rate: no forecast. A reading is the latest of its
 * hour, so two adjacent hours can be seconds apart (10:59:59 and 11:00:01); only buckets two hours
 * apart are sure to be an hour apart in time.
 */
const MIN_BUCKET_SPAN_MS = 2 * HOUR_MS;

/**
 * Days until the pool is full, rounded up to a tenth; null when the pool is not filling (flat or
 * shrinking use), when fewer than an hour of readings exist, or when it is full already (0 is kept
 * for that: nothing left).
 */
export function forecastDays(
  readings: ReadonlyArray<{ hour: string; used: number }>,
  available: number,
): number | null {
  if (available <= 0) return 0;
  const first = readings[0];
  const last = readings.at(-1);
  if (!first || !last) return null;
  const spanMs = Date.parse(last.hour) - Date.parse(first.hour);
  if (!(spanMs >= MIN_BUCKET_SPAN_MS)) return null;
  const perDay = ((last.used - first.used) / spanMs) * DAY_MS;
  if (perDay <= 0) return null;
  return Math.ceil((available / perDay) * 10) / 10;
}

/** The start of the hour `at` falls in, as stored text. */
export function hourOf(at: number): string {
  return new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString();
}
