// Everything `wgfleet serve` can be told, resolved once from flags, the environment and the config file,
// in that order of precedence (schema.ts lists every setting; docs/configuration.md is made from it).
// Secrets read here (metrics token, admin password, `_FILE` variants) are held as values, never logged.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ValidationError } from "@wgfleet/core";
import { LOG_FORMATS, type LogFormat } from "../logging/logger.js";
import { blameFile, type Layered, layerSettings } from "./layers.js";
import { type NodeFlags, type NodeSettings, resolveNodeSettings } from "./node-settings.js";
import { resolveSignInSettings, type SignInFlags, type SignInSettings } from "./sign-in-settings.js";
import { resolveStatsSettings, type StatsFlags, type StatsSettings } from "./stats-settings.js";

export interface ListenAddress {
  host: string;
  port: number;
}

export interface SessionSettings {
  /** A session ends this long after login, however active. */
  ttlMs: number;
  /** A session ends when unused this long. */
  idleMs: number;
}

export interface Settings {
  listen: ListenAddress;
  /** SQLite file, secret key file. */
  dataDir: string;
  /** PostgreSQL instead of SQLite when set. */
  databaseUrl: string | null;
  /** PostgreSQL: connections kept at most. */
  databasePoolSize: number;
  /** WGFLEET_LOCAL_NETNS: the local node's WireGuard commands run in this network namespace. */
  localNetns: string | null;
  /** Manage this host's WireGuard interfaces (node `local`); `--no-local` turns it off. */
  local: boolean;
  logFormat: LogFormat;
  logLevel: string;
  /** Mark the session cookie Secure always (it is also Secure on requests that arrive over https). */
  cookieSecure: boolean;
  /** Trust X-Forwarded-* from a reverse proxy (client address, https). */
  trustProxy: boolean;
  /** The dashboard's address in links it hands out (no trailing slash); null: the request's. */
  publicUrl: string | null;
  /** `/metrics` on the main port, behind `Authorization: Bearer <token>`; absent (404) when null. */
  metricsToken: string | null;
  /** `--metrics-listen`: `/metrics` on a listener of its own, without a token; off when null. */
  metricsListen: ListenAddress | null;
  /** `--metrics-per-peer`: per-peer series (bytes, latest handshake) besides the per-node ones. */
  metricsPerPeer: boolean;
  /** WGFLEET_SECRET_KEY: the at-rest key instead of `<dataDir>/secret.key`. */
  secretKey: string | null;
  /** First start on an empty database: the admin's name and password (generated when null). */
  admin: { username: string; password: string | null };
  session: SessionSettings;
  /** Remote nodes: health polling, agent call timeouts and retries (see node-settings.ts). */
  nodes: NodeSettings;
  /** Live stats polling interval and traffic history retention (see stats-settings.ts). */
  stats: StatsSettings;
  /** Password sign-in and OpenID Connect single sign-on (see sign-in-settings.ts). */
  signIn: SignInSettings;
  /** The WGDashboard-compatible API (docs/wgdashboard-api.md): off unless asked for. */
  wgdashboard: WgDashboardSettings;
}

export interface WgDashboardSettings {
  enabled: boolean;
  /** WGDashboard's APP_PREFIX: "" or a path such as "/wgd"; routes live at `<prefix>/api/...`. */
  prefix: string;
}

export const DEFAULT_LISTEN = "127.0.0.1:10086";
export const DEFAULT_DATA_DIR = "./data";

export const DEFAULT_SESSION: SessionSettings = {
  ttlMs: 24 * 60 * 60 * 1000,
  idleMs: 2 * 60 * 60 * 1000,
};

export const DEFAULT_DATABASE_POOL_SIZE = 10;

/** The flags `serve` accepts, as parsed (all optional). */
export interface ServeFlags {
  /** `--config FILE`: the YAML config file (else WGFLEET_CONFIG; none by default). */
  config?: string;
  listen?: string;
  dataDir?: string;
  local?: boolean;
  logFormat?: string;
  logLevel?: string;
  cookieSecure?: boolean;
  trustProxy?: boolean;
  publicUrl?: string;
  metricsTokenFile?: string;
  metricsListen?: string;
  databasePoolSize?: string;
  sessionLifetimeHours?: string;
  sessionIdleMinutes?: string;
  metricsPerPeer?: boolean;
  /** Remote node flags (--health-interval-seconds, ...). */
  nodes?: NodeFlags;
  /** Stats flags (--stats-interval-seconds, --stats-retention-days). */
  stats?: StatsFlags;
  /** Sign-in flags (--no-local-login, --oidc-*, --public-url). */
  signIn?: SignInFlags;
  wgdashboardApi?: boolean;
  wgdashboardPrefix?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveOptions {
  /**
   * Admin commands sign nobody in, and are the way back when sign-in is misconfigured (e.g. `user
   * reset-password` after --no-local-login went wrong): they ignore the sign-in settings.
   */
  signIn?: boolean;
}

export function resolveSettings(
  flags: ServeFlags,
  env: Env = process.env,
  options: ResolveOptions = {},
): Settings {
  const keep = options.signIn === false ? withoutSignInSettings : undefined;
  const layered = layerSettings(flags.config, env, readSecretFile, keep);
  try {
    return resolveLayered(flags, layered.env);
  } catch (error) {
    throw blameFile(error, layered);
  }
}

function resolveLayered(flags: ServeFlags, env: Layered["env"]): Settings {
  const listen = pick(flags.listen, "--listen", env, "WGFLEET_LISTEN");
  const logFormat = pick(flags.logFormat, "--log-format", env, "WGFLEET_LOG_FORMAT");
  const publicUrl = pick(flags.publicUrl, "--public-url", env, "WGFLEET_PUBLIC_URL");
  const metricsListenAt = pick(flags.metricsListen, "--metrics-listen", env, "WGFLEET_METRICS_LISTEN");
  const prefix = pick(flags.wgdashboardPrefix, "--wgdashboard-prefix", env, "WGFLEET_WGDASHBOARD_PREFIX");
  return {
    listen: parseListen(listen.value ?? DEFAULT_LISTEN, listen.name),
    dataDir: resolve(flags.dataDir ?? env.WGFLEET_DATA_DIR ?? DEFAULT_DATA_DIR),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    databasePoolSize: poolSize(
      pick(flags.databasePoolSize, "--database-pool-size", env, "WGFLEET_DATABASE_POOL_SIZE"),
    ),
    localNetns: nonEmpty(env.WGFLEET_LOCAL_NETNS),
    local: flags.local ?? !isTrue(env.WGFLEET_NO_LOCAL),
    logFormat: parseLogFormat(logFormat.value ?? "json", logFormat.name),
    logLevel: flags.logLevel ?? env.WGFLEET_LOG_LEVEL ?? "info",
    cookieSecure: flags.cookieSecure ?? isTrue(env.WGFLEET_COOKIE_SECURE),
    trustProxy: flags.trustProxy ?? isTrue(env.WGFLEET_TRUST_PROXY),
    publicUrl: parsePublicUrl(publicUrl.value, publicUrl.name),
    metricsToken: metricsToken(flags.metricsTokenFile, env),
    metricsListen: metricsListenAt.value ? parseListen(metricsListenAt.value, metricsListenAt.name) : null,
    metricsPerPeer: flags.metricsPerPeer ?? isTrue(env.WGFLEET_METRICS_PER_PEER),
    secretKey: nonEmpty(env.WGFLEET_SECRET_KEY),
    admin: {
      username: nonEmpty(env.WGFLEET_ADMIN_USER) ?? "admin",
      password: nonEmpty(env.WGFLEET_ADMIN_PASSWORD),
    },
    session: resolveSession(flags, env),
    nodes: resolveNodeSettings(flags.nodes ?? {}, env),
    stats: resolveStatsSettings(flags.stats ?? {}, env),
    signIn: resolveSignInSettings(flags.signIn ?? {}, env, readSecretFile),
    wgdashboard: {
      enabled: flags.wgdashboardApi ?? isTrue(env.WGFLEET_WGDASHBOARD_API),
      prefix: parseWgDashboardPrefix(prefix.value ?? "", prefix.name),
    },
  };
}

/** The sign-in settings' variables taken out (see ResolveOptions.signIn). */
export function withoutSignInSettings(env: Env): Env {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !name.startsWith("WGFLEET_OIDC_") && name !== "WGFLEET_NO_LOCAL_LOGIN",
    ),
  );
}

interface Picked {
  value: string | undefined;
  /** What to call it in an error: the flag when it came from one, else the variable. */
  name: string;
}

/** The flag's value, else the (merged) environment's; errors then name where it came from. */
function pick(flag: string | undefined, flagName: string, env: Env, envName: string): Picked {
  if (flag !== undefined) return { value: flag, name: flagName };
  return { value: nonEmpty(env[envName]) ?? undefined, name: envName };
}

const MAX_SESSION_HOURS = 24 * 365;

function resolveSession(flags: ServeFlags, env: Env): SessionSettings {
  const lifetime = pick(
    flags.sessionLifetimeHours,
    "--session-lifetime-hours",
    env,
    "WGFLEET_SESSION_LIFETIME_HOURS",
  );
  const idle = pick(flags.sessionIdleMinutes, "--session-idle-minutes", env, "WGFLEET_SESSION_IDLE_MINUTES");
  return {
    ttlMs: positive(lifetime, MAX_SESSION_HOURS, 60 * 60 * 1000) ?? DEFAULT_SESSION.ttlMs,
    idleMs: positive(idle, MAX_SESSION_HOURS * 60, 60 * 1000) ?? DEFAULT_SESSION.idleMs,
  };
}

/** A positive number up to `max` (fractions allowed, "0.5" hours), in ms; undefined when not given. */
function positive(picked: Picked, max: number, msPerUnit: number): number | undefined {
  if (picked.value === undefined) return undefined;
  const value = Number(picked.value.trim());
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new ValidationError(picked.name, `expected a positive number up to ${max}, got "${picked.value}"`);
  }
  return Math.round(value * msPerUnit);
}

function poolSize(picked: Picked): number {
  if (picked.value === undefined) return DEFAULT_DATABASE_POOL_SIZE;
  const value = Number(picked.value.trim());
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new ValidationError(picked.name, `expected a whole number from 1 to 1000, got "${picked.value}"`);
  }
  return value;
}

/** "" (the default), or "/a" or "/a/b" of letters, digits, "_" and "-"; a trailing slash is dropped. */
export function parseWgDashboardPrefix(text: string, name = "--wgdashboard-prefix"): string {
  const prefix = text.trim().replace(/\/+$/, "");
  if (prefix === "" || /^(\/[A-Za-z0-9_-]+)+$/.test(prefix)) return prefix;
  throw new ValidationError(
    name,
    `expected a path such as /wgdashboard (letters, digits, "_", "-"), got "${text}"`,
  );
}

/** An http(s) origin with an optional path ("https://vpn.example.com/wg"), kept without a trailing slash. */
export function parsePublicUrl(text: string | undefined, name = "--public-url"): string | null {
  if (text === undefined) return null;
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ValidationError(name, `expected an http(s) URL, got "${text}"`);
  }
  if (!["http:", "https:"].includes(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ValidationError(
      name,
      `expected an http(s) URL without query, fragment or login, got "${text}"`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

/** "127.0.0.1:10086", "[::1]:10086", "localhost:80". */
export function parseListen(text: string, flag = "--listen"): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (!match || !host || !Number.isInteger(port) || port > 65535) {
    throw new ValidationError(flag, `expected HOST:PORT (e.g. ${DEFAULT_LISTEN}), got "${text}"`);
  }
  return { host, port };
}

export function parseLogFormat(text: string, name = "--log-format"): LogFormat {
  if ((LOG_FORMATS as readonly string[]).includes(text)) return text as LogFormat;
  throw new ValidationError(name, `expected ${LOG_FORMATS.join(" or ")}, got "${text}"`);
}

/** Reads a one-line secret file (trailing newline dropped); a clear error when it cannot. */
export function readSecretFile(path: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new ValidationError(flag, `cannot read ${path} (${code})`);
  }
  const value = text.replace(/\r?\n$/, "");
  if (value.length === 0) throw new ValidationError(flag, `${path} is empty`);
  return value;
}

function metricsToken(file: string | undefined, env: Env): string | null {
  if (file) return readSecretFile(file, "--metrics-token-file").trim();
  return nonEmpty(env.WGFLEET_METRICS_TOKEN);
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.length > 0 ? value : null;
}

function isTrue(value: string | undefined): boolean {
  return value === "1" || value?.toLowerCase() === "true" || value?.toLowerCase() === "yes";
}
