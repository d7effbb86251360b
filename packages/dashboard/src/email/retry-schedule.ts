// When a warning mail that failed is tried again: 1 min, 5 min, 15 min, 1 h, then every 3 h, until
// 3 days after it was queued; after that it is `failed` (its warning would come too late).
export const EMAIL_RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000, 10_800_000] as const;
export const EMAIL_GIVE_UP_AFTER_MS = 3 * 24 * 3_600_000;

/** The time of the next attempt after `attempts` failed ones, or null when it is time to give up. */
export function nextEmailAttemptAt(attempts: number, createdAt: number, now: number): number | null {
  const index = Math.min(Math.max(attempts, 1), EMAIL_RETRY_DELAYS_MS.length) - 1;
  const next = now + (EMAIL_RETRY_DELAYS_MS[index] as number);
  return next > createdAt + EMAIL_GIVE_UP_AFTER_MS ? null : next;
}
