// The one place the dashboard reads the wall clock. Timestamps are stored as ISO-8601 UTC text
// ("2025-01-31T12:00:00.000Z"), always in this exact form, so that text order is time order on both
// database engines. Never store a timestamp produced any other way.

/** A source of time, injectable where a test needs to move it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The given time (default: now) as ISO-8601 UTC text with milliseconds. */
export function nowIso(at: number | Date = Date.now()): string {
  return new Date(at).toISOString();
}

/** The time `ms` milliseconds after `from` (default now), as ISO text: expiry dates, cut-offs. */
export function isoAfter(ms: number, from: number | Date = Date.now()): string {
  return new Date(new Date(from).getTime() + ms).toISOString();
}
