import { describe, expect, it } from "vitest";
import { LoginRateLimitedError, LoginRateLimiter } from "./login-rate-limiter.js";

function limiter(maxKeys = 100) {
  const clock = {
    ms: 0,
    now() {
      return this.ms;
    },
  };
  return { clock, limiter: new LoginRateLimiter({ maxFailures: 3, windowMs: 1000, maxKeys }, clock) };
}

describe("LoginRateLimiter", () => {
  it("blocks a username after the limit, case-insensitively, until the oldest failure ages out", () => {
    const { clock, limiter: l } = limiter();
    for (const ip of ["a", "b", "c"]) {
      l.check("Admin", ip);
      l.recordFailure("Admin", ip);
      clock.ms += 100;
    }
    expect(() => l.check("admin", "d")).toThrow(LoginRateLimitedError);
    try {
      l.check("admin", "d");
    } catch (error) {
      expect((error as LoginRateLimitedError).retryAfterSeconds).toBe(1);
    }
    clock.ms = 1001;
    expect(() => l.check("admin", "d")).not.toThrow();
  });

  it("blocks an address across usernames; success clears only the username", () => {
    const { limiter: l } = limiter();
    for (const name of ["x", "y", "z"]) l.recordFailure(name, "1.2.3.4");
    expect(() => l.check("someone", "1.2.3.4")).toThrow(LoginRateLimitedError);
    l.recordSuccess("x");
    expect(() => l.check("x", "1.2.3.4")).toThrow(LoginRateLimitedError);
    expect(() => l.check("x", "5.6.7.8")).not.toThrow();
  });

  it("keeps at most maxKeys keys", () => {
    const { limiter: l } = limiter(2);
    for (let i = 0; i < 3; i++) l.recordFailure(`user${i}`, `ip${i}`);
    for (let i = 0; i < 3; i++) l.recordFailure("user0", "ipX");
    // user0's older entry was evicted, but its newest three failures count.
    expect(() => l.check("user0", "elsewhere")).toThrow(LoginRateLimitedError);
  });
});
