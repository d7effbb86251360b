// Login throttling as the login service sees it. Two implementations: in process memory
// (login-rate-limiter.ts; one process, SQLite) and in the database (rate-limits/database-throttles.ts;
// PostgreSQL, where several replicas must count together). Callers always await.

export interface LoginThrottle {
  /** Throws LoginRateLimitedError when this address has failed too often, for this name or in all. */
  check(username: string, address: string): void | Promise<void>;
  /** How long to hold an attempt for this username. */
  delayMs(username: string): number | Promise<number>;
  recordFailure(username: string, address: string): void | Promise<void>;
  recordSuccess(username: string, address: string): void | Promise<void>;
}
