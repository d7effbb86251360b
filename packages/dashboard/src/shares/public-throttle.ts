// The rate limits of the public pages (share links) and the public join, as their callers see them.
// Two implementations: in process memory (share-rate-limiter.ts; one process, SQLite) and in the
// database (rate-limits/database-throttles.ts; PostgreSQL, replicas count together). Callers await.

export interface PublicThrottle {
  /** Counts a request; the seconds to wait when this address is over a limit, else 0. */
  admit(address: string): number | Promise<number>;
  /** A lookup from this address found nothing (an unknown share link or join token). */
  recordMiss(address: string): void | Promise<void>;
}
