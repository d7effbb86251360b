// `wgfleet apikey create --user NAME --name LABEL`: prints a new API key once, on stdout, alone on
// its line (so `KEY=$(wgfleet apikey create ...)` works).
import { type ParseArgsConfig, parseArgs } from "node:util";
import { assertShape, CreateApiKeyBodySchema, NotFoundError } from "@wgfleet/core";
import { COMMON_OPTIONS, DATA_FLAGS_HELP, openAdminContext, parseFlags } from "./common.js";
import { type CliIo, UsageError } from "./io.js";

export const APIKEY_HELP = `Usage:
  wgfleet apikey create --user NAME --name LABEL

Prints the new key once on stdout. It is stored hashed and cannot be shown again. A key of a user
who must still change their password (the first admin with a generated password) answers 403
PASSWORD_CHANGE_REQUIRED until that user has logged in and chosen a password.

Options:
  --user NAME           the user the key acts as (required)
  --name LABEL          what the key is for, e.g. "ci" (required)
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  user: { type: "string" },
  name: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

export async function apiKeyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(APIKEY_HELP);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (action !== "create") {
    throw new UsageError(
      action ? `unknown apikey action "${action}" (create)` : "apikey: missing action (create)",
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!values.user) throw new UsageError("--user is required");
  if (!values.name) throw new UsageError("--name is required");
  assertShape(CreateApiKeyBodySchema, { name: values.name });
  const admin = await openAdminContext(values, io);
  try {
    const user = await admin.context.services.users.findByUsername(values.user);
    if (!user) throw new NotFoundError(`user ${values.user}`);
    const created = await admin.context.services.apiKeys.create(
      { userId: user.id, name: values.name },
      "cli",
    );
    io.out(created.key);
    io.err(
      `created API key "${created.apiKey.name}" (${created.apiKey.prefix}…) for ${user.username}; it is shown only this once`,
    );
    if (user.mustChangePassword) {
      io.err(`note: ${user.username} must change their password first; until then the key answers 403`);
    }
    return 0;
  } finally {
    await admin.close();
  }
}
