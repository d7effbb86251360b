// How the dashboard talks to remote nodes: health polling interval and timeout, agent call timeout and
// retries, when a node counts as offline, slow or off-clock. Resolved once from flags and environment
// (flags win); every value has a default that suits a real fleet, and tests shorten them.
import { ValidationError } from "@wgfleet/core";

export interface NodeSettings {
  /** How often every enabled remote node is asked for its health (all at once). */
  healthIntervalMs: number;
  /** How long one health call may take before it counts as a failure (default: the agent timeout). */
  healthTimeoutMs: number;
  /** How long one agent call (peer change, state push, peer list) may take. */
  agentTimeoutMs: number;
  /** Extra attempts of an idempotent call after a connection failure (never after a timeout). */
  agentRetries: number;
  /** The first retry waits this long; each further one twice as long. */
  retryBackoffMs: number;
  /** Consecutive failed health calls after which a node is `offline`. */
  offlineAfterFailures: number;
  /** Two health answers in a row slower than this make a node `degraded`. */
  slowHealthMs: number;
  /** An agent clock further off than this makes the node `degraded` and `/test` fail. */
  maxClockSkewMs: number;
}

export const DEFAULT_NODE_SETTINGS: NodeSettings = {
  healthIntervalMs: 10_000,
  healthTimeoutMs: 5_000,
  agentTimeoutMs: 5_000,
  agentRetries: 2,
  retryBackoffMs: 100,
  offlineAfterFailures: 3,
  slowHealthMs: 3_000,
  maxClockSkewMs: 30_000,
};

/** The flags `serve` accepts for nodes (as parsed text; all optional). */
export interface NodeFlags {
  healthIntervalSeconds?: string;
  healthTimeoutSeconds?: string;
  agentTimeoutSeconds?: string;
  offlineAfter?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Flags, then `WGFLEET_*_SECONDS`, then `WGFLEET_*_MS`, then the defaults. The health timeout defaults
 * to the agent timeout (a node whose check outlasts the interval is simply asked again when it ends).
 */
export function resolveNodeSettings(flags: NodeFlags = {}, env: Env = process.env): NodeSettings {
  const d = DEFAULT_NODE_SETTINGS;
  const healthIntervalMs =
    duration(flags.healthIntervalSeconds, "--health-interval-seconds", 1000) ??
    duration(env.WGFLEET_HEALTH_INTERVAL_SECONDS, "WGFLEET_HEALTH_INTERVAL_SECONDS", 1000) ??
    duration(env.WGFLEET_HEALTH_INTERVAL_MS, "WGFLEET_HEALTH_INTERVAL_MS", 1) ??
    d.healthIntervalMs;
  const agentTimeoutMs =
    duration(flags.agentTimeoutSeconds, "--agent-timeout-seconds", 1000) ??
    duration(env.WGFLEET_AGENT_TIMEOUT_SECONDS, "WGFLEET_AGENT_TIMEOUT_SECONDS", 1000) ??
    duration(env.WGFLEET_AGENT_TIMEOUT_MS, "WGFLEET_AGENT_TIMEOUT_MS", 1) ??
    d.agentTimeoutMs;
  const healthTimeoutMs =
    duration(flags.healthTimeoutSeconds, "--health-timeout-seconds", 1000) ??
    duration(env.WGFLEET_HEALTH_TIMEOUT_SECONDS, "WGFLEET_HEALTH_TIMEOUT_SECONDS", 1000) ??
    duration(env.WGFLEET_HEALTH_TIMEOUT_MS, "WGFLEET_HEALTH_TIMEOUT_MS", 1) ??
    agentTimeoutMs;
  return {
    healthIntervalMs,
    healthTimeoutMs,
    agentTimeoutMs,
    agentRetries: count(env.WGFLEET_AGENT_RETRIES, "WGFLEET_AGENT_RETRIES", 0) ?? d.agentRetries,
    retryBackoffMs: d.retryBackoffMs,
    offlineAfterFailures:
      count(flags.offlineAfter, "--offline-after", 1) ??
      count(env.WGFLEET_OFFLINE_AFTER, "WGFLEET_OFFLINE_AFTER", 1) ??
      d.offlineAfterFailures,
    slowHealthMs: duration(env.WGFLEET_HEALTH_SLOW_MS, "WGFLEET_HEALTH_SLOW_MS", 1) ?? d.slowHealthMs,
    maxClockSkewMs:
      duration(env.WGFLEET_MAX_CLOCK_SKEW_SECONDS, "WGFLEET_MAX_CLOCK_SKEW_SECONDS", 1000) ??
      d.maxClockSkewMs,
  };
}

/** A positive number of units (fractions allowed: "0.5" seconds), in ms; undefined when not given. */
function duration(text: string | undefined, name: string, msPerUnit: number): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text.trim());
  const ms = Math.round(value * msPerUnit);
  if (!Number.isFinite(value) || ms < 10 || ms > 24 * 60 * 60 * 1000) {
    throw new ValidationError(name, `expected a positive duration (at least 10 ms), got "${text}"`);
  }
  return ms;
}

function count(text: string | undefined, name: string, minimum: number): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < minimum || value > 1000) {
    throw new ValidationError(name, `expected a whole number from ${minimum} to 1000, got "${text}"`);
  }
  return value;
}
