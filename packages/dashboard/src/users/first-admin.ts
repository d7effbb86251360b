// First start on an empty database: create the admin, from WGFLEET_ADMIN_USER / _PASSWORD or with a
// generated password that the caller prints once. Does nothing when any user exists.
import { randomPassword } from "../auth/password.js";
import type { UserService } from "./user.service.js";

export interface FirstAdminResult {
  username: string;
  /** The generated password, to print once; null when it came from the environment. */
  generatedPassword: string | null;
}

export async function ensureFirstAdmin(
  users: UserService,
  admin: { username: string; password: string | null },
): Promise<FirstAdminResult | null> {
  if ((await users.count()) > 0) return null;
  const generatedPassword = admin.password === null ? randomPassword() : null;
  try {
    await users.create(
      {
        username: admin.username,
        password: admin.password ?? generatedPassword ?? "",
        role: "admin",
        mustChangePassword: generatedPassword !== null,
      },
      "system",
    );
  } catch (error) {
    // Another replica created the first admin at the same moment: theirs stands.
    if ((await users.count()) > 0 && (await users.findByUsername(admin.username))) return null;
    throw error;
  }
  return { username: admin.username, generatedPassword };
}
