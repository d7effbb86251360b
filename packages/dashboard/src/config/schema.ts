// Every setting `wgfleet serve` reads, in one table: its flag, environment variable, config-file key,
// type, default and meaning. The config file and the `_FILE` secret variants are derived from it, and
// docs/configuration.md is generated from it (`npm run -s docs:config`), so a setting documented here is
// one the dashboard reads, and the other way round (config/schema.test.ts checks the sources for
// environment variables missing here).

/** How a config-file value is typed; the environment and flags are always text. */
export type SettingType = "string" | "boolean" | "integer" | "number" | "list";

export type SettingGroup =
  | "General"
  | "Database and secrets"
  | "First admin and sessions"
  | "Metrics"
  | "Remote nodes"
  | "Stats and retention"
  | "Sign-in"
  | "WGDashboard-compatible API";

export interface SettingDef {
  /** The environment variable; the config-file key is derived from it (see fileKeyOf). */
  env: string;
  /** The `serve` flag, if any, as written on the command line (`--listen HOST:PORT`). */
  flag?: string;
  type: SettingType;
  /** The default as shown in the docs; absent: not set. */
  default?: string;
  description: string;
  /** A secret: also accepted as `<ENV>_FILE` / `<key>File` (a file holding the value), never logged. */
  secret?: boolean;
  group: SettingGroup;
}

const S = (def: SettingDef): SettingDef => def;

export const SETTINGS: readonly SettingDef[] = [
  S({
    env: "WGFLEET_CONFIG",
    flag: "--config FILE",
    type: "string",
    description:
      "A YAML (or JSON) file with any of the settings below, by their file key. Flags win over the environment, which wins over the file.",
    group: "General",
  }),
  S({
    env: "WGFLEET_LISTEN",
    flag: "--listen HOST:PORT",
    type: "string",
    default: "127.0.0.1:10086",
    description: "Address the HTTP API and web app listen on.",
    group: "General",
  }),
  S({
    env: "WGFLEET_DATA_DIR",
    flag: "--data-dir DIR",
    type: "string",
    default: "./data",
    description: "Data directory: the SQLite database, the secret key, the local node's budget counts.",
    group: "General",
  }),
  S({
    env: "WGFLEET_NO_LOCAL",
    flag: "--no-local",
    type: "boolean",
    default: "false",
    description: "Do not manage this host's WireGuard interfaces (the node `local`); agents only.",
    group: "General",
  }),
  S({
    env: "WGFLEET_LOCAL_NETNS",
    type: "string",
    description: "Run the local node's WireGuard commands inside this network namespace (tests, demos).",
    group: "General",
  }),
  S({
    env: "WGFLEET_LOG_FORMAT",
    flag: "--log-format FORMAT",
    type: "string",
    default: "json",
    description: "`json` or `pretty`.",
    group: "General",
  }),
  S({
    env: "WGFLEET_LOG_LEVEL",
    flag: "--log-level LEVEL",
    type: "string",
    default: "info",
    description: "`trace`, `debug`, `info`, `warn` or `error`.",
    group: "General",
  }),
  S({
    env: "WGFLEET_COOKIE_SECURE",
    flag: "--cookie-secure",
    type: "boolean",
    default: "false",
    description:
      "Always mark the session cookie Secure (it is Secure anyway on requests that arrive over https).",
    group: "General",
  }),
  S({
    env: "WGFLEET_TRUST_PROXY",
    flag: "--trust-proxy",
    type: "boolean",
    default: "false",
    description: "Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy.",
    group: "General",
  }),
  S({
    env: "WGFLEET_PUBLIC_URL",
    flag: "--public-url URL",
    type: "string",
    description:
      "The dashboard's address in links it hands out (share links, the single sign-on redirect URI); default: the address of the request that asks.",
    group: "General",
  }),
  S({
    env: "DATABASE_URL",
    type: "string",
    secret: true,
    description: "A `postgres://` URL: PostgreSQL instead of SQLite in the data directory.",
    group: "Database and secrets",
  }),
  S({
    env: "WGFLEET_DATABASE_POOL_SIZE",
    flag: "--database-pool-size N",
    type: "integer",
    default: "10",
    description: "PostgreSQL connections the dashboard keeps at most (1 to 1000); SQLite ignores it.",
    group: "Database and secrets",
  }),
  S({
    env: "WGFLEET_SECRET_KEY",
    type: "string",
    secret: true,
    description: "The at-rest encryption key (base64 of 32 bytes) instead of `<data dir>/secret.key`.",
    group: "Database and secrets",
  }),
  S({
    env: "WGFLEET_ADMIN_USER",
    type: "string",
    default: "admin",
    description: "First start on an empty database: the admin's name.",
    group: "First admin and sessions",
  }),
  S({
    env: "WGFLEET_ADMIN_PASSWORD",
    type: "string",
    secret: true,
    description:
      "First start on an empty database: the admin's password; default: a generated one written to `<data dir>/initial-admin-password`.",
    group: "First admin and sessions",
  }),
  S({
    env: "WGFLEET_SESSION_LIFETIME_HOURS",
    flag: "--session-lifetime-hours N",
    type: "number",
    default: "24",
    description: "A sign-in lasts at most this long, however active.",
    group: "First admin and sessions",
  }),
  S({
    env: "WGFLEET_SESSION_IDLE_MINUTES",
    flag: "--session-idle-minutes N",
    type: "number",
    default: "120",
    description: "A sign-in ends when unused this long.",
    group: "First admin and sessions",
  }),
  S({
    env: "WGFLEET_METRICS_TOKEN",
    flag: "--metrics-token-file FILE",
    type: "string",
    secret: true,
    description:
      "Serve `/metrics` on the main port behind `Authorization: Bearer <token>`; without it the main port has no `/metrics`. The flag names a file holding the token.",
    group: "Metrics",
  }),
  S({
    env: "WGFLEET_METRICS_LISTEN",
    flag: "--metrics-listen HOST:PORT",
    type: "string",
    description: "Serve `/metrics`, without a token, on a listener of its own.",
    group: "Metrics",
  }),
  S({
    env: "WGFLEET_METRICS_PER_PEER",
    flag: "--metrics-per-peer",
    type: "boolean",
    default: "false",
    description:
      "Also export per-peer series (bytes, latest handshake): three series per peer, so off by default.",
    group: "Metrics",
  }),
  S({
    env: "WGFLEET_HEALTH_INTERVAL_SECONDS",
    flag: "--health-interval-seconds N",
    type: "number",
    default: "10",
    description: "Poll every remote node's health this often.",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_HEALTH_INTERVAL_MS",
    type: "number",
    description: "The same in milliseconds (the `_SECONDS` setting wins).",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_HEALTH_TIMEOUT_SECONDS",
    flag: "--health-timeout-seconds N",
    type: "number",
    default: "the agent timeout",
    description: "One health call may take this long before it counts as failed.",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_HEALTH_TIMEOUT_MS",
    type: "number",
    description: "The same in milliseconds (the `_SECONDS` setting wins).",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_AGENT_TIMEOUT_SECONDS",
    flag: "--agent-timeout-seconds N",
    type: "number",
    default: "5",
    description: "One agent call (peer change, state push, peer list) may take this long.",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_AGENT_TIMEOUT_MS",
    type: "number",
    description: "The same in milliseconds (the `_SECONDS` setting wins).",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_AGENT_RETRIES",
    type: "integer",
    default: "2",
    description:
      "Extra attempts of an idempotent agent call after a connection failure (never after a timeout).",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_OFFLINE_AFTER",
    flag: "--offline-after N",
    type: "integer",
    default: "3",
    description: "Failed health calls in a row after which a node is offline.",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_HEALTH_SLOW_MS",
    type: "number",
    default: "3000",
    description: "Two health answers in a row slower than this (milliseconds) make a node degraded.",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_MAX_CLOCK_SKEW_SECONDS",
    type: "number",
    default: "30",
    description: "An agent clock further off than this makes the node degraded and its test fail.",
    group: "Remote nodes",
  }),
  S({
    env: "WGFLEET_STATS_INTERVAL_SECONDS",
    flag: "--stats-interval-seconds N",
    type: "number",
    default: "10",
    description: "Read live peer stats (traffic, handshakes, endpoints) this often.",
    group: "Stats and retention",
  }),
  S({
    env: "WGFLEET_STATS_RETENTION_DAYS",
    flag: "--stats-retention-days N",
    type: "integer",
    default: "7",
    description: "Keep per-minute traffic this many days.",
    group: "Stats and retention",
  }),
  S({
    env: "WGFLEET_STATS_HOUR_RETENTION_DAYS",
    flag: "--stats-hour-retention-days N",
    type: "integer",
    default: "90",
    description: "Keep hourly traffic this many days.",
    group: "Stats and retention",
  }),
  S({
    env: "WGFLEET_STATS_DAY_RETENTION_DAYS",
    flag: "--stats-day-retention-days N",
    type: "integer",
    default: "730",
    description: "Keep daily traffic this many days.",
    group: "Stats and retention",
  }),
  S({
    env: "WGFLEET_LIFECYCLE_HISTORY_RETENTION_DAYS",
    flag: "--lifecycle-history-retention-days N",
    type: "integer",
    default: "365",
    description: "Keep what expiry, schedules and quotas did to peers this many days.",
    group: "Stats and retention",
  }),
  S({
    env: "WGFLEET_AUDIT_RETENTION_DAYS",
    flag: "--audit-retention-days N",
    type: "integer",
    default: "365",
    description: "Keep the audit trail this many days.",
    group: "Stats and retention",
  }),
  S({
    env: "WGFLEET_NO_LOCAL_LOGIN",
    flag: "--no-local-login",
    type: "boolean",
    default: "false",
    description:
      "Single sign-on only: no password sign-in. Refused unless the provider answers and an admin can sign in through it.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_ISSUER",
    flag: "--oidc-issuer URL",
    type: "string",
    description: "Sign in with OpenID Connect at this issuer (docs/sso.md).",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_CLIENT_ID",
    flag: "--oidc-client-id ID",
    type: "string",
    description: "The client registered at the issuer.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_CLIENT_SECRET",
    flag: "--oidc-client-secret-file FILE",
    type: "string",
    secret: true,
    description: "The client's secret. The flag names a file holding it.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_SCOPES",
    flag: '--oidc-scopes "A B"',
    type: "list",
    default: "profile email",
    description: "Scopes asked for besides `openid`.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_ROLE_CLAIM",
    flag: "--oidc-role-claim NAME",
    type: "string",
    default: "groups",
    description: "The claim whose values decide the role.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_ADMIN_VALUES",
    flag: "--oidc-admin-values A,B",
    type: "list",
    description: "Values of the role claim that make an admin.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_VIEWER_VALUES",
    flag: "--oidc-viewer-values A,B",
    type: "list",
    description: "Values of the role claim that make a viewer; `*` admits everyone as a viewer.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_EXISTING_USERS_ONLY",
    flag: "--oidc-existing-users-only",
    type: "boolean",
    default: "false",
    description: "Only identities linked with `wgfleet user link-sso`, with their user's role.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_OIDC_LABEL",
    flag: "--oidc-label TEXT",
    type: "string",
    default: "Single sign-on",
    description: "The sign-in button's text.",
    group: "Sign-in",
  }),
  S({
    env: "WGFLEET_WGDASHBOARD_API",
    flag: "--wgdashboard-api",
    type: "boolean",
    default: "false",
    description:
      "Serve the WGDashboard-compatible API for keys of scope wgdashboard (docs/wgdashboard-api.md).",
    group: "WGDashboard-compatible API",
  }),
  S({
    env: "WGFLEET_WGDASHBOARD_PREFIX",
    flag: "--wgdashboard-prefix PATH",
    type: "string",
    default: "(none: /api/)",
    description: "Serve it under PATH/api/, like WGDashboard's APP_PREFIX.",
    group: "WGDashboard-compatible API",
  }),
];

/** The variable that names the config file: read from the environment only, never from the file. */
export const CONFIG_ENV = "WGFLEET_CONFIG";

/** `WGFLEET_STATS_INTERVAL_SECONDS` → `statsIntervalSeconds`, `DATABASE_URL` → `databaseUrl`. */
export function fileKeyOf(env: string): string {
  const words = env
    .replace(/^WGFLEET_/, "")
    .toLowerCase()
    .split("_");
  return words.map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join("");
}

/** `WGFLEET_ADMIN_PASSWORD` → `WGFLEET_ADMIN_PASSWORD_FILE`: a file holding a secret's value. */
export function secretFileEnvOf(env: string): string {
  return `${env}_FILE`;
}

export const SECRET_SETTINGS: readonly SettingDef[] = SETTINGS.filter((def) => def.secret);
