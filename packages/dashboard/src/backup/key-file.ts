// Writes the restored secret key as `<dataDir>/secret.key` the way the dashboard writes a new one:
// base64 text, mode 0600, under a temporary name first and then linked into place, so neither a
// half-written key nor an overwritten one is ever seen.
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SECRET_KEY_FILE_NAME } from "../secrets/index.js";

/** Returns the file written. Throws (EEXIST) if a key file appeared meanwhile. */
export function writeKeyFile(dataDir: string, key: Buffer): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, SECRET_KEY_FILE_NAME);
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(temporary, "wx", 0o600);
  try {
    try {
      chmodSync(temporary, 0o600);
      writeSync(fd, `${key.toString("base64")}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, path);
    return path;
  } finally {
    rmSync(temporary, { force: true });
  }
}
