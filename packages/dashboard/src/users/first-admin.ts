// First start on an empty database: create the admin, from WGFLEET_ADMIN_USER / _PASSWORD or with a
// generated password that is saved (to the data dir's password file) before the user exists, so it
// cannot be lost. Does nothing when any user exists. The name and password follow core's user schema.
import { assertShape, CreateUserBodySchema } from "@wgfleet/core";
import { randomPassword } from "../auth/password.js";
import type { UserService } from "./user.service.js";

export interface FirstAdminResult {
  username: string;
  /** The generated password; null when it came from the environment. */
  generatedPassword: string | null;
}

/** Where a generated password goes before the admin is created (and is taken back if that fails). */
export interface GeneratedPasswordStore {
  write(password: string): void;
  discard(): void;
}

export async function ensureFirstAdmin(
  users: UserService,
  admin: { username: string; password: string | null },
  store?: GeneratedPasswordStore,
): Promise<FirstAdminResult | null> {
  if ((await users.count()) > 0) return null;
  const password = admin.password ?? randomPassword();
  const generatedPassword = admin.password === null ? password : null;
  const input = { username: admin.username, password, role: "admin" as const };
  // The name and password come from the environment: the same rules as a request body.
  assertShape(CreateUserBodySchema, input);
  if (generatedPassword !== null) store?.write(generatedPassword);
  try {
    await users.create({ ...input, mustChangePassword: generatedPassword !== null }, "system");
  } catch (error) {
    if (generatedPassword !== null) store?.discard();
    // Another replica created the first admin at the same moment: theirs stands.
    if ((await users.count()) > 0 && (await users.findByUsername(admin.username))) return null;
    throw error;
  }
  return { username: admin.username, generatedPassword };
}
