// Start-up's part of the first admin: create them (users/first-admin.ts) with a generated password
// kept in a 0600 file of the data dir, and on later starts keep pointing at that file while the
// admin has not changed the password; drop a file whose password no longer works.
import type { Logger } from "../logging/logger.js";
import { ensureFirstAdmin } from "../users/first-admin.js";
import type { InitialPasswordFile } from "../users/initial-password-file.js";
import type { UserService } from "../users/user.service.js";

export interface InitialAdminNotice {
  username: string;
  /** Created on this start (else an earlier start created it and the password file is still there). */
  created: boolean;
  /** Where the generated password is; null when it came from the environment. */
  passwordFile: string | null;
}

export async function prepareInitialAdmin(
  users: UserService,
  admin: { username: string; password: string | null },
  file: InitialPasswordFile,
  logger: Logger,
): Promise<InitialAdminNotice | null> {
  const created = await ensureFirstAdmin(users, admin, file);
  if (created) {
    const passwordFile = created.generatedPassword === null ? null : file.path;
    if (passwordFile) logger.info({ passwordFile }, "first admin created; generated password saved");
    return { username: created.username, created: true, passwordFile };
  }
  const kept = file.read();
  if (kept === null) return null;
  if (await stillWaitingForChange(users, admin.username, kept)) {
    logger.info({ passwordFile: file.path }, "the first admin has not changed the generated password yet");
    return { username: admin.username, created: false, passwordFile: file.path };
  }
  file.discard();
  return null;
}

async function stillWaitingForChange(users: UserService, username: string, password: string) {
  try {
    return (await users.verifyCredentials(username, password)).mustChangePassword;
  } catch {
    return false;
  }
}
