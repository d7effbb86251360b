// When a failed delivery is tried again: 10 s, 30 s, 2 min, 10 min, 30 min, then every hour, until 24 h
// after the event; a retry that would fall later is not made (the delivery is `failed`).
export const RETRY_DELAYS_MS = [10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000] as const;
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** The time of the next attempt after `attempts` failed ones, or null when it is time to give up. */
export function nextAttemptAt(attempts: number, createdAt: number, now: number): number | null {
  const index = Math.min(Math.max(attempts, 1), RETRY_DELAYS_MS.length) - 1;
  const next = now + (RETRY_DELAYS_MS[index] as number);
  return next > createdAt + GIVE_UP_AFTER_MS ? null : next;
}
