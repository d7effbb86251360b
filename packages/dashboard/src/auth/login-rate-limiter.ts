// Login throttling: failed attempts are counted per username and per client address in a sliding
// window; once either reaches the limit, logins for it are refused until the oldest failure ages out.
// In memory: with several dashboard replicas each counts on its own, so the effective limit is
// limit × replicas (a shared table or Redis would be needed to make it global).
import { RateLimitedError } from "@wgfleet/core";
import { type Clock, systemClock } from "../clock.js";

export interface LoginRateLimitSettings {
  /** Failures allowed inside the window, per username and per address. */
  maxFailures: number;
  windowMs: number;
  /** Keys tracked at most (oldest dropped first), so random usernames cannot exhaust memory. */
  maxKeys: number;
}

export const DEFAULT_LOGIN_RATE_LIMIT: LoginRateLimitSettings = {
  maxFailures: 10,
  windowMs: 15 * 60 * 1000,
  maxKeys: 10_000,
};

/** A 429 that knows when to come back (the Retry-After header, in seconds). */
export class LoginRateLimitedError extends RateLimitedError {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed logins; try again in ${retryAfterSeconds} s`);
  }
}

class FailureWindows {
  /** Key → failure times, oldest first; Map order is insertion order, so eviction drops the oldest key. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly settings: LoginRateLimitSettings) {}

  /** Milliseconds until the key may try again, 0 when it may now. */
  blockedFor(key: string, now: number): number {
    const times = this.prune(key, now);
    if (times.length < this.settings.maxFailures) return 0;
    const oldest = times[times.length - this.settings.maxFailures] ?? now;
    return Math.max(1, oldest + this.settings.windowMs - now);
  }

  record(key: string, now: number): void {
    const times = this.prune(key, now);
    times.push(now);
    if (times.length > this.settings.maxFailures) times.shift();
    this.failures.delete(key);
    this.failures.set(key, times);
    if (this.failures.size > this.settings.maxKeys) {
      const oldestKey = this.failures.keys().next().value;
      if (oldestKey !== undefined) this.failures.delete(oldestKey);
    }
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private prune(key: string, now: number): number[] {
    const times = this.failures.get(key) ?? [];
    const fresh = times.filter((t) => t > now - this.settings.windowMs);
    if (fresh.length === 0) this.failures.delete(key);
    else this.failures.set(key, fresh);
    return fresh;
  }
}

export class LoginRateLimiter {
  private readonly byUser: FailureWindows;
  private readonly byAddress: FailureWindows;

  constructor(
    settings: LoginRateLimitSettings = DEFAULT_LOGIN_RATE_LIMIT,
    private readonly clock: Clock = systemClock,
  ) {
    this.byUser = new FailureWindows(settings);
    this.byAddress = new FailureWindows(settings);
  }

  /** Throws LoginRateLimitedError when the username or the address has failed too often. */
  check(username: string, address: string): void {
    const now = this.clock.now();
    const waitMs = Math.max(
      this.byUser.blockedFor(userKey(username), now),
      this.byAddress.blockedFor(address, now),
    );
    if (waitMs > 0) throw new LoginRateLimitedError(Math.ceil(waitMs / 1000));
  }

  recordFailure(username: string, address: string): void {
    const now = this.clock.now();
    this.byUser.record(userKey(username), now);
    this.byAddress.record(address, now);
  }

  /** A good password clears that user's count; the address keeps its count (other names it tried). */
  recordSuccess(username: string): void {
    this.byUser.clear(userKey(username));
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}
