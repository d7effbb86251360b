// `wgfleet apikey list|create|revoke`: API keys from the shell, on the same database as `serve`.
// `create` prints the new key once, on stdout, alone on its line (so `KEY=$(wgfleet apikey create ...)`
// works); with --json it prints `{apiKey, key}` as POST /api/v1/apikeys answers.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type ApiKeyDto, assertShape, CreateApiKeyBodySchema, NotFoundError } from "@wgfleet/core";
import { ADMIN_OPTIONS, CLI_ACTOR, DATA_FLAGS_HELP, parseFlags, withAdminContext } from "./common.js";
import { type CliIo, UsageError } from "./io.js";
import { type Column, printJson, printTable, report } from "./output.js";

export const APIKEY_HELP = `Usage:
  wgfleet apikey list [--user NAME] [--json]
  wgfleet apikey create --user NAME --name LABEL [--json]
  wgfleet apikey revoke ID

create prints the new key once on stdout. It is stored hashed and cannot be shown again. A key of a
user who must still change their password (the first admin with a generated password) answers 403
PASSWORD_CHANGE_REQUIRED until that user has logged in and chosen a password. list shows every key
(revoked ones too) without the key itself; revoke takes the ID list shows.

Options:
  --user NAME           the user the key acts as (create: required; list: only this user's keys)
  --name LABEL          what the key is for, e.g. "ci" (create: required)
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  user: { type: "string" },
  name: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

interface ApiKeyFlags {
  user?: string;
  name?: string;
  json?: boolean;
  "data-dir"?: string;
  "log-format"?: string;
}

const ACTIONS = ["list", "create", "revoke"];

export async function apiKeyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(APIKEY_HELP);
    return 0;
  }
  const [action, id, ...extra] = positionals;
  if (!action || !ACTIONS.includes(action)) {
    throw new UsageError(
      action
        ? `unknown apikey action "${action}" (${ACTIONS.join(", ")})`
        : `apikey: missing action (${ACTIONS.join(", ")})`,
    );
  }
  const unexpected = action === "revoke" ? extra[0] : (id ?? extra[0]);
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  if (action === "list") return listKeys(values, io);
  if (action === "revoke") return revokeKey(id, values, io);
  return createKey(values, io);
}

async function createKey(values: ApiKeyFlags, io: CliIo): Promise<number> {
  if (!values.user) throw new UsageError("--user is required");
  if (!values.name) throw new UsageError("--name is required");
  const name = values.name;
  assertShape(CreateApiKeyBodySchema, { name });
  const { created, user } = await withAdminContext(values, io, async (context) => {
    const user = await context.services.users.findByUsername(values.user as string);
    if (!user) throw new NotFoundError(`user ${values.user}`);
    return { user, created: await context.services.apiKeys.create({ userId: user.id, name }, "cli") };
  });
  if (values.json) printJson(io, created);
  else io.out(created.key);
  io.err(
    `created API key "${created.apiKey.name}" (${created.apiKey.prefix}…) for ${user.username}; it is shown only this once`,
  );
  if (user.mustChangePassword) {
    io.err(`note: ${user.username} must change their password first; until then the key answers 403`);
  }
  return 0;
}

const KEY_COLUMNS: Column<ApiKeyDto>[] = [
  { header: "ID", value: (key) => key.id },
  { header: "NAME", value: (key) => key.name },
  { header: "PREFIX", value: (key) => `${key.prefix}…` },
  { header: "USER", value: (key) => key.username },
  { header: "SCOPE", value: (key) => key.scope },
  { header: "CREATED", value: (key) => key.createdAt },
  { header: "LAST USED", value: (key) => key.lastUsedAt },
  { header: "REVOKED", value: (key) => key.revokedAt },
];

async function listKeys(values: ApiKeyFlags, io: CliIo): Promise<number> {
  if (values.name !== undefined) throw new UsageError("--name: only for apikey create");
  const keys = await withAdminContext(values, io, async (context) => {
    const all = await context.services.apiKeys.list(CLI_ACTOR);
    if (values.user === undefined) return all;
    const user = await context.services.users.findByUsername(values.user);
    if (!user) throw new NotFoundError(`user ${values.user}`);
    return all.filter((key) => key.userId === user.id);
  });
  if (values.json) printJson(io, { items: keys });
  else printTable(io, KEY_COLUMNS, keys);
  return 0;
}

async function revokeKey(id: string | undefined, values: ApiKeyFlags, io: CliIo): Promise<number> {
  if (!id) throw new UsageError("apikey revoke: missing ID (see apikey list)");
  if (values.user !== undefined || values.name !== undefined) {
    throw new UsageError("apikey revoke takes only the key's ID");
  }
  const revoked = await withAdminContext(values, io, (context) => context.services.apiKeys.revoke(id, "cli"));
  report(
    io,
    values.json,
    revoked,
    `revoked API key "${revoked.name}" (${revoked.prefix}…) of ${revoked.username}`,
  );
  return 0;
}
