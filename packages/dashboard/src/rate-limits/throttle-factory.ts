// Picks the throttles' implementation by engine: PostgreSQL (possibly several replicas) counts in the
// database, SQLite (one process) in memory.
import {
  DEFAULT_LOGIN_RATE_LIMIT,
  LoginRateLimiter,
  type LoginRateLimitSettings,
} from "../auth/login-rate-limiter.js";
import type { LoginThrottle } from "../auth/login-throttle.js";
import { type Clock, systemClock } from "../clock.js";
import { type Db, dialectOf } from "../db/index.js";
import type { PublicThrottle } from "../shares/public-throttle.js";
import { ShareRateLimiter } from "../shares/share-rate-limiter.js";
import { DatabaseLoginThrottle, DatabasePublicThrottle } from "./database-throttles.js";
import { RateLimitRepository } from "./rate-limit.repository.js";

export function createLoginThrottle(
  db: Db,
  settings: LoginRateLimitSettings = DEFAULT_LOGIN_RATE_LIMIT,
  clock: Clock = systemClock,
): LoginThrottle {
  if (dialectOf(db) === "postgres")
    return new DatabaseLoginThrottle(new RateLimitRepository(db), settings, clock);
  return new LoginRateLimiter(settings, clock);
}

export function createPublicThrottle(db: Db): PublicThrottle {
  if (dialectOf(db) === "postgres") return new DatabasePublicThrottle(new RateLimitRepository(db));
  return new ShareRateLimiter();
}
