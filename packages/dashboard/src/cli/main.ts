// The `wgfleet` command: dispatches to serve, user, apikey, node, peer, backup and restore. Every failure ends as one line on
// stderr ("wgfleet: <reason>") and a non-zero exit code: 2 for usage, 1 for everything else.
import { WgFleetError } from "@wgfleet/core";
import { VERSION } from "../server.js";
import { APIKEY_HELP, apiKeyCommand } from "./apikey.js";
import { BACKUP_HELP, backupCommand } from "./backup.js";
import { type CliIo, processIo, UsageError } from "./io.js";
import { NODE_HELP, nodeCommand } from "./node.js";
import { PEER_HELP, peerCommand } from "./peer.js";
import { RESTORE_HELP, restoreCommand } from "./restore.js";
import { SERVE_HELP, serveCommand } from "./serve.js";
import { USER_HELP, userCommand } from "./user.js";

export const MAIN_HELP = `wgfleet ${VERSION} — WireGuard fleet dashboard

Usage:
  wgfleet serve [options]                           run the dashboard
  wgfleet user list|add|remove|reset-password ...   users (add: password on stdin or --password-file)
  wgfleet user reset-password NAME                  set a new password
  wgfleet user reset-totp NAME                      turn two-factor sign-in off (a lost phone)
  wgfleet apikey create --user NAME --name LABEL    print a new API key once (also list, revoke)
  wgfleet node list|add|test|remove ...             the fleet's nodes (agents)
  wgfleet peer list|add|remove|config ...           peers; config prints a client's wg-quick file
  wgfleet backup --out FILE                         back up the database and its secret key
  wgfleet restore FILE [--dry-run]                  restore a backup into an empty data dir or database
  wgfleet COMMAND --help                            options of a command (--json on the admin commands)
  wgfleet --version                                 the version

Environment: DATABASE_URL (PostgreSQL instead of SQLite), WGFLEET_ADMIN_USER, WGFLEET_ADMIN_PASSWORD,
WGFLEET_SECRET_KEY, WGFLEET_METRICS_TOKEN (each secret also as NAME_FILE: a file holding it), and
WGFLEET_CONFIG or --config FILE: a YAML file with any setting. Every setting: docs/configuration.md.`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  serve: serveCommand,
  user: userCommand,
  apikey: apiKeyCommand,
  node: nodeCommand,
  peer: peerCommand,
  backup: backupCommand,
  restore: restoreCommand,
};

export { APIKEY_HELP, BACKUP_HELP, NODE_HELP, PEER_HELP, RESTORE_HELP, SERVE_HELP, USER_HELP };

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.out(MAIN_HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
      io.out(VERSION);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run)
      throw new UsageError(
        `unknown command "${command}" (serve, user, apikey, node, peer, backup, restore; see wgfleet --help)`,
      );
    return await run(rest, io);
  } catch (error) {
    io.err(`wgfleet: ${oneLine(error)}`);
    return isUsageProblem(error) ? 2 : 1;
  }
}

/** Bad flags and bad values (a malformed --listen, an invalid NAME) are usage errors: exit 2. */
function isUsageProblem(error: unknown): boolean {
  return error instanceof UsageError || (error instanceof WgFleetError && error.code === "VALIDATION");
}

function oneLine(error: unknown): string {
  const message = error instanceof WgFleetError || error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? "failed";
}
