import { describe, expect, it } from "vitest";
import { LoginRateLimitedError, LoginRateLimiter } from "./login-rate-limiter.js";

function limiter(maxKeys = 100) {
  const clock = {
    ms: 0,
    now() {
      return this.ms;
    },
  };
  const settings = {
    maxFailures: 3,
    maxAddressFailures: 5,
    windowMs: 1000,
    maxKeys,
    userDelayStepMs: 100,
    maxUserDelayMs: 250,
  };
  return { clock, limiter: new LoginRateLimiter(settings, clock) };
}

describe("LoginRateLimiter", () => {
  it("blocks a username from one address, case-insensitively, until the oldest failure ages out", () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 3; i++) {
      l.check("Admin", "a");
      l.recordFailure("Admin", "a");
      clock.ms += 100;
    }
    expect(() => l.check("admin", "a")).toThrow(LoginRateLimitedError);
    try {
      l.check("admin", "a");
    } catch (error) {
      expect((error as LoginRateLimitedError).retryAfterSeconds).toBe(1);
    }
    clock.ms = 1001;
    expect(() => l.check("admin", "a")).not.toThrow();
  });

  it("never blocks a username from an address that has not failed; it only slows it down", () => {
    const { limiter: l } = limiter();
    for (const ip of ["a", "b", "c", "d", "e", "f"]) l.recordFailure("admin", ip);
    expect(() => l.check("admin", "fresh")).not.toThrow();
    expect(l.delayMs("admin")).toBe(250);
    expect(l.delayMs("ADMIN")).toBe(250);
    expect(l.delayMs("someone-else")).toBe(0);
    l.recordSuccess("admin", "fresh");
    expect(l.delayMs("admin")).toBe(0);
  });

  it("grows the username's delay by a step per failure beyond the limit", () => {
    const { limiter: l } = limiter();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(l.delayMs("admin"));
      l.recordFailure("admin", `ip${i}`);
    }
    expect(delays).toEqual([0, 0, 0, 100, 200, 250]);
  });

  it("blocks an address across usernames; success clears only the username", () => {
    const { limiter: l } = limiter();
    for (const name of ["v", "w", "x", "y", "z"]) l.recordFailure(name, "1.2.3.4");
    expect(() => l.check("someone", "1.2.3.4")).toThrow(LoginRateLimitedError);
    l.recordSuccess("x", "5.6.7.8");
    expect(() => l.check("x", "1.2.3.4")).toThrow(LoginRateLimitedError);
    expect(() => l.check("x", "5.6.7.8")).not.toThrow();
  });

  it("keeps at most maxKeys keys", () => {
    const { limiter: l } = limiter(2);
    for (let i = 0; i < 3; i++) l.recordFailure(`user${i}`, `ip${i}`);
    for (let i = 0; i < 3; i++) l.recordFailure("user0", "ipX");
    // user0's older entries were evicted, but its newest three failures from ipX count.
    expect(() => l.check("user0", "ipX")).toThrow(LoginRateLimitedError);
  });
});
