// Flags every command shares (--config, --data-dir, --log-format, --help) and the store the admin
// commands open: the same database `serve` uses (DATABASE_URL, else SQLite in the data dir), read from
// the same config file.
import type { ParseArgsConfig } from "node:util";
import type { Actor } from "../auth/actor.js";
import { DEFAULT_DATA_DIR, parseLogFormat, resolveSettings } from "../config/settings.js";
import type { AppContext } from "../http/context.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { VERSION } from "../server.js";
import { createAppContext } from "../services.js";
import { openStore } from "../startup/database.js";
import type { CliIo } from "./io.js";
import { UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags of every command, `serve` included. */
export const COMMON_OPTIONS = {
  config: { type: "string" },
  "data-dir": { type: "string" },
  "log-format": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/** Flags of the admin commands: the common ones and --json. */
export const ADMIN_OPTIONS = {
  ...COMMON_OPTIONS,
  json: { type: "boolean" },
} as const satisfies Options;

/** Runs a strict node:util parseArgs; its errors become a one-line UsageError in our own words. */
export function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(parseErrorMessage(error as Error & { code?: string }));
  }
}

/** parseArgs' messages (a paragraph about '--' for an unknown flag) said the way the agent says them. */
function parseErrorMessage(error: Error & { code?: string }): string {
  const flag = /'([^' ]+)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown flag ${flag} (see --help)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      // "argument missing" at the end, "ambiguous" when the next word is another flag.
      return /argument missing|ambiguous/.test(error.message)
        ? `${flag} needs a value`
        : `${flag} takes no value (see --help)`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${flag || "given"} (see --help)`;
    default:
      return error.message.split("\n")[0] ?? "bad arguments";
  }
}

export interface AdminSession {
  context: AppContext;
  close(): Promise<void>;
}

/**
 * Opens the database for an admin command. Logs only warnings and errors, and on stderr, so that stdout
 * holds nothing but the command's result (`KEY=$(wgfleet apikey create ...)` must never capture a log
 * line). `serve` logs on stdout.
 */
export async function openAdminContext(
  flags: { config?: string; "data-dir"?: string; "log-format"?: string },
  io: CliIo,
): Promise<AdminSession> {
  const settings = resolveSettings(
    {
      config: flags.config,
      dataDir: flags["data-dir"],
      logFormat: flags["log-format"] ?? "json",
      local: false,
    },
    io.env,
    { signIn: false },
  );
  const logger: Logger = createLogger({
    format: parseLogFormat(settings.logFormat),
    level: "warn",
    fd: 2,
  });
  const { db, secrets } = await openStore(settings, logger, { mustExist: true });
  const context = await createAppContext({
    db,
    secrets,
    logger,
    dataDir: settings.dataDir,
    config: {
      cookieSecure: settings.cookieSecure,
      trustProxy: settings.trustProxy,
      publicUrl: settings.publicUrl,
      metricsToken: settings.metricsToken,
      session: settings.session,
      localNode: { enabled: false, unavailableReason: LOCAL_NODE_FROM_CLI },
      version: VERSION,
    },
    // The serving replicas' caches hear of what the command changes (SQLite: they see its commits).
    announceTo: settings.databaseUrl,
  });
  const close = async () => {
    await context.services.cacheInvalidation.stop();
    await db.destroy();
  };
  return { context, close };
}

/** The database and key `serve` would use: DATABASE_URL, else SQLite in the data dir; WGFLEET_SECRET_KEY. */
export function storeTargetOf(flags: { config?: string; "data-dir"?: string }, env: CliIo["env"]) {
  const settings = resolveSettings({ config: flags.config, dataDir: flags["data-dir"], local: false }, env, {
    signIn: false,
  });
  return {
    dataDir: settings.dataDir,
    databaseUrl: settings.databaseUrl,
    envKey: settings.secretKey,
  };
}

export const DATA_FLAGS_HELP = `  --json                machine-readable output: one JSON document on stdout
  --config FILE         the config file serve uses (or WGFLEET_CONFIG; docs/configuration.md)
  --data-dir DIR        data directory (default ${DEFAULT_DATA_DIR}); DATABASE_URL selects PostgreSQL
  --log-format FORMAT   json (default) or pretty
  -h, --help            this help`;

/** Who an admin command acts as, where a service asks for an actor: an admin, named "cli" in the audit. */
export const CLI_ACTOR: Actor = {
  userId: "cli",
  username: "cli",
  role: "admin",
  via: "session",
  mustChangePassword: false,
  mustEnrolTotp: false,
};

/** Runs `work` on an open admin session and closes it, also when `work` throws. */
export async function withAdminContext<T>(
  flags: { "data-dir"?: string; "log-format"?: string },
  io: CliIo,
  work: (context: AppContext) => Promise<T>,
): Promise<T> {
  const admin = await openAdminContext(flags, io);
  try {
    return await work(admin.context);
  } finally {
    await admin.close();
  }
}

/**
 * Admin commands never drive this host's WireGuard: the local node belongs to the `serve` process
 * (root, its namespace, its own change queue). Its peers are managed over the HTTP API or the web app.
 */
export const LOCAL_NODE_FROM_CLI =
  "the local node is managed by the running dashboard (wgfleet serve), not by admin commands";
