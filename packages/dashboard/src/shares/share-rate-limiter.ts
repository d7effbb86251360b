// Rate limits of the public share pages, per client address (request.ip, which honours trustProxy):
// every request counts against a generous budget, and lookups that find no link (a wrong or guessed
// token) against a small one, so guessing is cut off long before it could matter while a person who
// opens a link a few times never notices. In memory, for one process (SQLite); on PostgreSQL the
// replicas count together in the database instead (rate-limits/database-throttles.ts).
import { type Clock, systemClock } from "../clock.js";

export interface ShareRateLimitSettings {
  /** Requests from one address inside the window. */
  maxRequests: number;
  /** Lookups that found no link, from one address inside the window. */
  maxMisses: number;
  windowMs: number;
  /** Addresses tracked at most per table (oldest dropped first), so spoofed floods cannot exhaust memory. */
  maxKeys: number;
}

export const DEFAULT_SHARE_RATE_LIMIT: ShareRateLimitSettings = {
  maxRequests: 120,
  maxMisses: 20,
  windowMs: 10 * 60 * 1000,
  maxKeys: 10_000,
};

/** Event times per key inside a sliding window, bounded in keys and in times per key. */
class SlidingWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** Milliseconds until the key is below its limit again; 0 when it is now. */
  blockedFor(key: string, now: number): number {
    const fresh = this.prune(key, now);
    if (fresh.length < this.limit) return 0;
    const oldest = fresh[fresh.length - this.limit] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  record(key: string, now: number): void {
    const fresh = this.prune(key, now);
    fresh.push(now);
    if (fresh.length > this.limit) fresh.shift();
    // Re-inserted last, so the Map's first key is always the least recently seen.
    this.times.delete(key);
    this.times.set(key, fresh);
    if (this.times.size > this.maxKeys) {
      const oldestKey = this.times.keys().next().value;
      if (oldestKey !== undefined) this.times.delete(oldestKey);
    }
  }

  private prune(key: string, now: number): number[] {
    const fresh = (this.times.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (fresh.length === 0) this.times.delete(key);
    else this.times.set(key, fresh);
    return fresh;
  }
}

export class ShareRateLimiter {
  private readonly requests: SlidingWindow;
  private readonly misses: SlidingWindow;

  constructor(
    settings: ShareRateLimitSettings = DEFAULT_SHARE_RATE_LIMIT,
    private readonly clock: Clock = systemClock,
  ) {
    this.requests = new SlidingWindow(settings.maxRequests, settings.windowMs, settings.maxKeys);
    this.misses = new SlidingWindow(settings.maxMisses, settings.windowMs, settings.maxKeys);
  }

  /** Counts a request; the seconds to wait when this address is over a limit, else 0. */
  admit(address: string): number {
    const now = this.clock.now();
    const waitMs = Math.max(this.requests.blockedFor(address, now), this.misses.blockedFor(address, now));
    if (waitMs > 0) return Math.ceil(waitMs / 1000);
    this.requests.record(address, now);
    return 0;
  }

  /** A lookup from this address found no link. */
  recordMiss(address: string): void {
    this.misses.record(address, this.clock.now());
  }
}
