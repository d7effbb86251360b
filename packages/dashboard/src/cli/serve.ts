// `wgfleet serve`: runs the dashboard until SIGTERM or SIGINT, then shuts down cleanly (a second
// signal forces the exit).
import { type ParseArgsConfig, parseArgs } from "node:util";
import { DEFAULT_DATA_DIR, DEFAULT_LISTEN, readSecretFile, resolveSettings } from "../config/settings.js";
import { startServer } from "../server.js";
import { COMMON_OPTIONS, parseFlags } from "./common.js";
import { type CliIo, UsageError } from "./io.js";

export const SERVE_HELP = `Usage:
  wgfleet serve [--config FILE] [--listen ${DEFAULT_LISTEN}] [--data-dir ${DEFAULT_DATA_DIR}] [--no-local] [--log-format json|pretty]
                [--metrics-listen HOST:PORT] [--oidc-issuer URL --oidc-client-id ID ...] [--no-local-login]

Runs the dashboard: HTTP API on --listen, SQLite in --data-dir unless DATABASE_URL names a PostgreSQL
database. On first start it creates the admin (WGFLEET_ADMIN_USER / WGFLEET_ADMIN_PASSWORD, or a
generated password written to DATA_DIR/initial-admin-password, mode 0600, deleted once changed).
Every setting is a flag, an environment variable and a key of the --config file (YAML); flags win over
the environment, which wins over the file. Secrets also take a file: WGFLEET_ADMIN_PASSWORD_FILE, ...
All settings: docs/configuration.md.

Options:
  --config FILE              YAML file with any of the settings (or WGFLEET_CONFIG)
  --listen HOST:PORT         address to listen on (default ${DEFAULT_LISTEN})
  --data-dir DIR             data directory: database, secret key (default ${DEFAULT_DATA_DIR})
  --no-local                 do not manage this host's WireGuard interfaces
  --log-format FORMAT        json (default) or pretty
  --log-level LEVEL          trace, debug, info (default), warn, error
  --cookie-secure            always mark the session cookie Secure (behind an https proxy)
  --trust-proxy              trust X-Forwarded-For / X-Forwarded-Proto
  --public-url URL           the dashboard's address in links it hands out (share links, the single
                             sign-on redirect URI), e.g. https://vpn.example.com (or
                             WGFLEET_PUBLIC_URL; default: the address of the request that asks)
  --metrics-token-file FILE  serve /metrics on the main port behind this bearer token (or
                             WGFLEET_METRICS_TOKEN); without a token the main port has no /metrics
  --metrics-listen HOST:PORT serve /metrics, without a token, on a listener of its own (default off;
                             or WGFLEET_METRICS_LISTEN)
  --database-pool-size N     PostgreSQL connections at most (default 10; WGFLEET_DATABASE_POOL_SIZE)
  --session-lifetime-hours N a sign-in lasts at most this long (default 24; WGFLEET_SESSION_LIFETIME_HOURS)
  --session-idle-minutes N   a sign-in ends when unused this long (default 120; WGFLEET_SESSION_IDLE_MINUTES)
  --metrics-per-peer         also export per-peer series (bytes, latest handshake); off by default
                             because each peer adds three series (or WGFLEET_METRICS_PER_PEER=1)
  --health-interval-seconds N  poll remote nodes' health this often (default 10; WGFLEET_HEALTH_INTERVAL_SECONDS)
  --health-timeout-seconds N   one health call may take this long (default: the agent timeout)
  --agent-timeout-seconds N    one agent call may take this long (default 5; WGFLEET_AGENT_TIMEOUT_SECONDS)
  --offline-after N            failed health calls in a row before a node is offline (default 3)
  --stats-interval-seconds N   read live peer stats this often (default 10; WGFLEET_STATS_INTERVAL_SECONDS)
  --stats-retention-days N     keep per-minute traffic this long (default 7; WGFLEET_STATS_RETENTION_DAYS)
  --stats-hour-retention-days N  keep hourly traffic this long (default 90; WGFLEET_STATS_HOUR_RETENTION_DAYS)
  --stats-day-retention-days N   keep daily traffic this long (default 730; WGFLEET_STATS_DAY_RETENTION_DAYS)
  --lifecycle-history-retention-days N  keep what expiry, schedules and quotas did to peers this long
                             (default 365; WGFLEET_LIFECYCLE_HISTORY_RETENTION_DAYS)
  --audit-retention-days N     keep the audit trail this long (default 365; WGFLEET_AUDIT_RETENTION_DAYS)
  --oidc-issuer URL          sign in with OpenID Connect at this issuer (WGFLEET_OIDC_ISSUER)
  --oidc-client-id ID        the client registered there (WGFLEET_OIDC_CLIENT_ID)
  --oidc-client-secret-file FILE  its secret (or WGFLEET_OIDC_CLIENT_SECRET_FILE / _SECRET)
  --oidc-scopes "A B"        scopes besides openid (default "profile email"; WGFLEET_OIDC_SCOPES)
  --oidc-role-claim NAME     the claim that decides the role (default groups; WGFLEET_OIDC_ROLE_CLAIM)
  --oidc-admin-values A,B    its values that make an admin (WGFLEET_OIDC_ADMIN_VALUES)
  --oidc-viewer-values A,B   its values that make a viewer; '*' for everyone (WGFLEET_OIDC_VIEWER_VALUES)
  --oidc-existing-users-only only identities linked with \`wgfleet user link-sso\`, with their user's role
  --oidc-label TEXT          the sign-in button's text (default "Single sign-on"; WGFLEET_OIDC_LABEL)
  --no-local-login           single sign-on only: no password sign-in (WGFLEET_NO_LOCAL_LOGIN); refused
                             unless the provider answers and an admin can sign in through it
  --wgdashboard-api          serve the WGDashboard-compatible API for keys of scope wgdashboard
                             (WGFLEET_WGDASHBOARD_API=true; docs/wgdashboard-api.md)
  --wgdashboard-prefix PATH  serve it under PATH/api/ like WGDashboard's APP_PREFIX (default: /api/;
                             WGFLEET_WGDASHBOARD_PREFIX)
  -h, --help                 this help`;

export const SERVE_OPTIONS = {
  ...COMMON_OPTIONS,
  listen: { type: "string" },
  "no-local": { type: "boolean" },
  "log-level": { type: "string" },
  "cookie-secure": { type: "boolean" },
  "trust-proxy": { type: "boolean" },
  "public-url": { type: "string" },
  "metrics-token-file": { type: "string" },
  "metrics-listen": { type: "string" },
  "database-pool-size": { type: "string" },
  "session-lifetime-hours": { type: "string" },
  "session-idle-minutes": { type: "string" },
  "metrics-per-peer": { type: "boolean" },
  "health-interval-seconds": { type: "string" },
  "health-timeout-seconds": { type: "string" },
  "agent-timeout-seconds": { type: "string" },
  "offline-after": { type: "string" },
  "stats-interval-seconds": { type: "string" },
  "stats-retention-days": { type: "string" },
  "stats-hour-retention-days": { type: "string" },
  "stats-day-retention-days": { type: "string" },
  "lifecycle-history-retention-days": { type: "string" },
  "audit-retention-days": { type: "string" },
  "oidc-issuer": { type: "string" },
  "oidc-client-id": { type: "string" },
  "oidc-client-secret-file": { type: "string" },
  "oidc-scopes": { type: "string" },
  "oidc-role-claim": { type: "string" },
  "oidc-admin-values": { type: "string" },
  "oidc-viewer-values": { type: "string" },
  "oidc-existing-users-only": { type: "boolean" },
  "oidc-label": { type: "string" },
  "no-local-login": { type: "boolean" },
  "wgdashboard-api": { type: "boolean" },
  "wgdashboard-prefix": { type: "string" },
} as const satisfies ParseArgsConfig["options"];

function secretFromFile(path: string | undefined, flag: string): string | undefined {
  return path === undefined ? undefined : readSecretFile(path, flag).trim();
}

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: SERVE_OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(SERVE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const settings = resolveSettings(
    {
      config: values.config,
      listen: values.listen,
      dataDir: values["data-dir"],
      local: values["no-local"] ? false : undefined,
      logFormat: values["log-format"],
      logLevel: values["log-level"],
      cookieSecure: values["cookie-secure"],
      trustProxy: values["trust-proxy"],
      publicUrl: values["public-url"],
      metricsTokenFile: values["metrics-token-file"],
      metricsListen: values["metrics-listen"],
      databasePoolSize: values["database-pool-size"],
      sessionLifetimeHours: values["session-lifetime-hours"],
      sessionIdleMinutes: values["session-idle-minutes"],
      metricsPerPeer: values["metrics-per-peer"],
      nodes: {
        healthIntervalSeconds: values["health-interval-seconds"],
        healthTimeoutSeconds: values["health-timeout-seconds"],
        agentTimeoutSeconds: values["agent-timeout-seconds"],
        offlineAfter: values["offline-after"],
      },
      stats: {
        intervalSeconds: values["stats-interval-seconds"],
        retentionDays: values["stats-retention-days"],
        hourRetentionDays: values["stats-hour-retention-days"],
        dayRetentionDays: values["stats-day-retention-days"],
        lifecycleRetentionDays: values["lifecycle-history-retention-days"],
        auditRetentionDays: values["audit-retention-days"],
      },
      signIn: {
        noLocalLogin: values["no-local-login"],
        oidcIssuer: values["oidc-issuer"],
        oidcClientId: values["oidc-client-id"],
        oidcClientSecret: secretFromFile(values["oidc-client-secret-file"], "--oidc-client-secret-file"),
        oidcScopes: values["oidc-scopes"],
        oidcRoleClaim: values["oidc-role-claim"],
        oidcAdminValues: values["oidc-admin-values"],
        oidcViewerValues: values["oidc-viewer-values"],
        oidcExistingUsersOnly: values["oidc-existing-users-only"],
        oidcLabel: values["oidc-label"],
      },
      wgdashboardApi: values["wgdashboard-api"],
      wgdashboardPrefix: values["wgdashboard-prefix"],
    },
    io.env,
  );
  const server = await startServer(settings, { print: io.err });
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        io.err(`${signal} again: exiting now`);
        process.exit(1);
      }
      stopping = true;
      server.context.logger.info({ signal }, "signal received");
      server.close().then(resolve, (error: Error) => {
        io.err(`wgfleet: shutdown failed: ${error.message}`);
        resolve();
      });
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
  return 0;
}
