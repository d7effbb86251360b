// Remembers the nonces of accepted requests for as long as their timestamp could still pass the
// window, so a captured request cannot be replayed. Bounded: it must never grow without limit, and
// a full cache must never let a replay through (see `admit`).
import { SIGNATURE_WINDOW_MS } from "./headers.js";

export type NonceAdmission = "accepted" | "seen" | "unverifiable";

export interface NonceCacheOptions {
  /** How long a request timestamp stays acceptable; entries are kept until timestamp + windowMs. */
  windowMs?: number;
  /** Upper bound on remembered nonces; when full, the oldest entry is dropped. */
  maxEntries?: number;
}

export const DEFAULT_NONCE_CACHE_ENTRIES = 100_000;

interface Entry {
  timestamp: number;
  expiresAt: number;
}

export class NonceCache {
  readonly windowMs: number;
  readonly maxEntries: number;
  /** Insertion order is arrival order, so the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();
  /**
   * The newest request timestamp among entries dropped while still inside the window. A request
   * timestamped at or before it might be a replay of a forgotten nonce, so it is refused.
   */
  private evictedThrough = Number.NEGATIVE_INFINITY;

  constructor(options: NonceCacheOptions = {}) {
    this.windowMs = options.windowMs ?? SIGNATURE_WINDOW_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_NONCE_CACHE_ENTRIES;
    if (!(this.maxEntries >= 1) || !Number.isInteger(this.maxEntries)) {
      throw new RangeError("NonceCache maxEntries must be a positive integer");
    }
  }

  /** false when the nonce was seen inside the window (or the cache cannot vouch for it, see `admit`). */
  remember(nonce: string, now: number, timestamp: number = now): boolean {
    return this.admit(nonce, now, timestamp) === "accepted";
  }

  /**
   * Records a nonce of a request timestamped `timestamp` (defaults to `now`) and says whether it is new.
   * "seen": the nonce is remembered and its window has not passed.
   * "unverifiable": the cache was full and dropped entries still inside their window; a request not
   * newer than the newest dropped one could replay a forgotten nonce, so it is refused as well. Under a
   * flood this refuses some genuine requests rather than letting one replay through.
   */
  admit(nonce: string, now: number, timestamp: number = now): NonceAdmission {
    this.forgetExpired(now);
    const existing = this.entries.get(nonce);
    if (existing && existing.expiresAt >= now) return "seen";
    if (timestamp <= this.evictedThrough) return "unverifiable";
    if (existing) this.entries.delete(nonce);
    while (this.entries.size >= this.maxEntries) this.evictOldest();
    this.entries.set(nonce, { timestamp, expiresAt: timestamp + this.windowMs });
    return "accepted";
  }

  /**
   * Whether `admit` would refuse this nonce now, without recording it: lets a server refuse a replay
   * before it reads the body, while only a request whose signature verified is ever remembered.
   */
  wouldRefuse(nonce: string, now: number, timestamp: number = now): boolean {
    const existing = this.entries.get(nonce);
    if (existing && existing.expiresAt >= now) return true;
    return timestamp <= this.evictedThrough && this.evictedThrough + this.windowMs >= now;
  }

  get size(): number {
    return this.entries.size;
  }

  private forgetExpired(now: number): void {
    for (const [nonce, entry] of this.entries) {
      if (entry.expiresAt >= now) break;
      this.entries.delete(nonce);
    }
    if (this.evictedThrough + this.windowMs < now) this.evictedThrough = Number.NEGATIVE_INFINITY;
  }

  private evictOldest(): void {
    const first = this.entries.entries().next();
    if (first.done) return;
    const [nonce, entry] = first.value;
    this.entries.delete(nonce);
    this.evictedThrough = Math.max(this.evictedThrough, entry.timestamp);
  }
}
