// `wgfleet user add NAME --role admin|viewer`, `wgfleet user reset-password NAME` and `wgfleet user
// reset-totp NAME`: user admin from the shell, on the same database as `serve` (the way back in for
// the last admin who lost both password or phone and recovery codes), `link-sso`/`unlink-sso`.
// Passwords come from --password-file or stdin; a generated one (reset --generate) is printed once on
// stdout. Input is checked against the same core
// schemas as the HTTP API's bodies.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { assertShape, CreateUserBodySchema, NewPasswordSchema, NotFoundError } from "@wgfleet/core";
import { ROLES, type Role } from "../auth/actor.js";
import type { UserView } from "../users/user.mapper.js";
import { ADMIN_OPTIONS, DATA_FLAGS_HELP, openAdminContext, parseFlags, withAdminContext } from "./common.js";
import { type CliIo, UsageError } from "./io.js";
import { type Column, printJson, printTable, report } from "./output.js";
import { readPassword } from "./password-input.js";
import { ssoLinkCommand } from "./user-sso.js";

export const USER_HELP = `Usage:
  wgfleet user list [--json]
  wgfleet user add NAME --role admin|viewer [--password-file FILE]
  wgfleet user reset-password NAME [--password-file FILE | --generate]
  wgfleet user link-sso NAME --subject SUB [--issuer URL]
  wgfleet user unlink-sso NAME [--issuer URL]
  wgfleet user reset-totp NAME
  wgfleet user remove NAME

The password is read from --password-file (first line) or from stdin. reset-password --generate
prints a new random password instead. Either way the user must change it at next login.
link-sso lets the single sign-on identity SUB (the provider's subject) sign in as NAME; the issuer
defaults to WGFLEET_OIDC_ISSUER. reset-totp turns the user's two-factor sign-in off (secret and
recovery codes go, sessions end). remove deletes the user with their sessions and API keys; the last
admin cannot be removed.

Options:
  --role ROLE           admin or viewer (user add; required)
  --password-file FILE  read the password from FILE
  --generate            reset-password: generate a password and print it once
  --subject SUB         link-sso: the provider's subject (sub claim) of the person
  --issuer URL          link-sso, unlink-sso: the OIDC issuer (default WGFLEET_OIDC_ISSUER)
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  role: { type: "string" },
  "password-file": { type: "string" },
  generate: { type: "boolean" },
  subject: { type: "string" },
  issuer: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** The flags `user add` and `user reset-password` read. */
interface UserFlags {
  json?: boolean;
  role?: string;
  "password-file"?: string;
  generate?: boolean;
  "data-dir"?: string;
  "log-format"?: string;
}

export async function userCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(USER_HELP);
    return 0;
  }
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const actions = ["list", "add", "remove", "reset-password", "reset-totp", "link-sso", "unlink-sso"];
  if (!action || !actions.includes(action)) {
    throw new UsageError(
      action
        ? `unknown user action "${action}" (${actions.join(", ")})`
        : `user: missing action (${actions.join(", ")})`,
    );
  }
  if (action === "list") {
    if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
    return listUsers(values, io);
  }
  if (!name) throw new UsageError(`user ${action}: missing NAME`);
  if (action === "remove") return removeUser(name, values, io);
  if (action === "link-sso" || action === "unlink-sso") return ssoLinkCommand(action, name, values, io);
  if (action === "add") return addUser(name, values, io);
  if (action === "reset-totp") return resetTotp(name, values, io);
  return resetPassword(name, values, io);
}

async function addUser(name: string, values: UserFlags, io: CliIo): Promise<number> {
  if (values.generate) throw new UsageError("--generate: only for user reset-password");
  const role = parseRole(values.role);
  const password = await readPassword(io, values["password-file"]);
  assertShape(CreateUserBodySchema, { username: name, password, role });
  const admin = await openAdminContext(values, io);
  try {
    const user = await admin.context.services.users.create({ username: name, password, role }, "cli");
    if (values.json) printJson(io, user);
    io.err(
      `created ${user.role} user "${user.username}" (id ${user.id}); they must change the password at first login`,
    );
    return 0;
  } finally {
    await admin.close();
  }
}

async function resetPassword(name: string, values: UserFlags, io: CliIo): Promise<number> {
  if (values.role !== undefined) throw new UsageError("--role: only for user add");
  if (values.generate && values["password-file"] !== undefined) {
    throw new UsageError("--generate and --password-file exclude each other");
  }
  const password = values.generate ? null : await readPassword(io, values["password-file"]);
  if (password !== null) assertShape(NewPasswordSchema, password, "password");
  const admin = await openAdminContext(values, io);
  try {
    const { user, generatedPassword } = await admin.context.services.users.resetPassword(
      name,
      password,
      "cli",
    );
    if (generatedPassword) io.out(generatedPassword);
    io.err(
      `reset the password of "${user.username}"; their sessions ended; they must change it at next login`,
    );
    return 0;
  } finally {
    await admin.close();
  }
}

async function resetTotp(name: string, values: UserFlags, io: CliIo): Promise<number> {
  if (values.role !== undefined || values.generate || values["password-file"] !== undefined) {
    throw new UsageError("user reset-totp takes no --role, --generate or --password-file");
  }
  const admin = await openAdminContext(values, io);
  try {
    const user = await admin.context.services.users.findByUsername(name);
    if (!user) throw new NotFoundError(`user ${name}`);
    await admin.context.services.twoFactor.reset(user.id);
    io.err(`turned two-factor sign-in of "${user.username}" off; their sessions ended`);
    return 0;
  } finally {
    await admin.close();
  }
}

const USER_COLUMNS: Column<UserView>[] = [
  { header: "ID", value: (user) => user.id },
  { header: "NAME", value: (user) => user.username },
  { header: "ROLE", value: (user) => user.role },
  { header: "2FA", value: (user) => (user.totpEnabled ? "on" : "off") },
  { header: "MUST CHANGE PASSWORD", value: (user) => (user.mustChangePassword ? "yes" : "no") },
  { header: "CREATED", value: (user) => user.createdAt },
];

async function listUsers(values: UserFlags, io: CliIo): Promise<number> {
  const users = await withAdminContext(values, io, (context) => context.services.users.list());
  if (values.json) printJson(io, { items: users });
  else printTable(io, USER_COLUMNS, users);
  return 0;
}

async function removeUser(name: string, values: UserFlags, io: CliIo): Promise<number> {
  if (values.role !== undefined || values.generate || values["password-file"] !== undefined) {
    throw new UsageError("user remove takes no --role, --generate or --password-file");
  }
  const user = await withAdminContext(values, io, async (context) => {
    const found = await context.services.users.findByUsername(name);
    if (!found) throw new NotFoundError(`user ${name}`);
    // The service refuses the last admin, as DELETE /api/v1/users/:id does.
    await context.services.users.delete(found.id, "cli");
    return found;
  });
  report(io, values.json, { removed: user }, `removed user "${user.username}" (id ${user.id})`);
  return 0;
}

function parseRole(text: string | undefined): Role {
  if (text === undefined) throw new UsageError("--role is required (admin or viewer)");
  if (!(ROLES as readonly string[]).includes(text))
    throw new UsageError(`--role: expected admin or viewer, got "${text}"`);
  return text as Role;
}
