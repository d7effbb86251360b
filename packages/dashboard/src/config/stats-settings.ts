// How the dashboard polls live peer stats and how long it keeps the traffic history and the history of
// what lifecycle rules did, and the audit trail: resolved once
// from flags and environment (flags win), with defaults that suit a 10,000-peer server.
import { ValidationError } from "@wgfleet/core";

export interface StatsSettings {
  /** How often every interface's live peers are read (rx, tx, handshake, endpoint). */
  intervalMs: number;
  /** Minute buckets (interface and peer) and handshake times older than this many days are removed. */
  retentionDays: number;
  /** Hourly rollups older than this many days are removed. */
  hourRetentionDays: number;
  /** Daily rollups older than this many days are removed. */
  dayRetentionDays: number;
  /** What the lifecycle rules did to peers (suspended, restored, …) older than this many days is removed. */
  lifecycleRetentionDays: number;
  /** Audit trail entries older than this many days are removed. */
  auditRetentionDays: number;
}

export const DEFAULT_STATS_SETTINGS: StatsSettings = {
  intervalMs: 10_000,
  retentionDays: 7,
  hourRetentionDays: 90,
  dayRetentionDays: 730,
  lifecycleRetentionDays: 365,
  auditRetentionDays: 365,
};

/** The flags `serve` accepts for stats (as parsed text; all optional). */
export interface StatsFlags {
  intervalSeconds?: string;
  retentionDays?: string;
  hourRetentionDays?: string;
  dayRetentionDays?: string;
  lifecycleRetentionDays?: string;
  auditRetentionDays?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 60 * 60 * 1000;
const MAX_RETENTION_DAYS = 3650;

/** Flags, then `WGFLEET_STATS_*`, then the defaults. */
export function resolveStatsSettings(flags: StatsFlags = {}, env: Env = process.env): StatsSettings {
  return {
    intervalMs:
      interval(flags.intervalSeconds, "--stats-interval-seconds") ??
      interval(env.WGFLEET_STATS_INTERVAL_SECONDS, "WGFLEET_STATS_INTERVAL_SECONDS") ??
      DEFAULT_STATS_SETTINGS.intervalMs,
    retentionDays:
      days(flags.retentionDays, "--stats-retention-days") ??
      days(env.WGFLEET_STATS_RETENTION_DAYS, "WGFLEET_STATS_RETENTION_DAYS") ??
      DEFAULT_STATS_SETTINGS.retentionDays,
    hourRetentionDays:
      days(flags.hourRetentionDays, "--stats-hour-retention-days") ??
      days(env.WGFLEET_STATS_HOUR_RETENTION_DAYS, "WGFLEET_STATS_HOUR_RETENTION_DAYS") ??
      DEFAULT_STATS_SETTINGS.hourRetentionDays,
    dayRetentionDays:
      days(flags.dayRetentionDays, "--stats-day-retention-days") ??
      days(env.WGFLEET_STATS_DAY_RETENTION_DAYS, "WGFLEET_STATS_DAY_RETENTION_DAYS") ??
      DEFAULT_STATS_SETTINGS.dayRetentionDays,
    lifecycleRetentionDays:
      days(flags.lifecycleRetentionDays, "--lifecycle-history-retention-days") ??
      days(env.WGFLEET_LIFECYCLE_HISTORY_RETENTION_DAYS, "WGFLEET_LIFECYCLE_HISTORY_RETENTION_DAYS") ??
      DEFAULT_STATS_SETTINGS.lifecycleRetentionDays,
    auditRetentionDays:
      days(flags.auditRetentionDays, "--audit-retention-days") ??
      days(env.WGFLEET_AUDIT_RETENTION_DAYS, "WGFLEET_AUDIT_RETENTION_DAYS") ??
      DEFAULT_STATS_SETTINGS.auditRetentionDays,
  };
}

/** Seconds (fractions allowed: "0.5") as ms; undefined when not given. */
function interval(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const ms = Math.round(Number(text.trim()) * 1000);
  if (!Number.isFinite(ms) || ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    throw new ValidationError(name, `expected seconds from 0.1 to 3600, got "${text}"`);
  }
  return ms;
}

function days(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1 || value > MAX_RETENTION_DAYS) {
    throw new ValidationError(
      name,
      `expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got "${text}"`,
    );
  }
  return value;
}
