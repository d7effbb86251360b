// The two throttles every request path uses, as interfaces with two implementations each: in process
// memory (auth/login-rate-limiter.ts, shares/share-rate-limiter.ts; one process, SQLite) and in the
// database (database-throttles.ts; PostgreSQL, where several replicas must count together).
// Callers always await: the memory implementations answer at once, the database ones after a query.

export interface LoginThrottle {
  /** Throws LoginRateLimitedError when this address has failed too often, for this name or in all. */
  check(username: string, address: string): void | Promise<void>;
  /** How long to hold an attempt for this username. */
  delayMs(username: string): number | Promise<number>;
  recordFailure(username: string, address: string): void | Promise<void>;
  recordSuccess(username: string, address: string): void | Promise<void>;
}

export interface PublicThrottle {
  /** Counts a request; the seconds to wait when this address is over a limit, else 0. */
  admit(address: string): number | Promise<number>;
  /** A lookup from this address found nothing (an unknown share link or join token). */
  recordMiss(address: string): void | Promise<void>;
}
