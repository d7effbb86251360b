// The first admin's generated password, kept in `<dataDir>/initial-admin-password` (mode 0600) instead
// of a log line: written before the server listens, so a start that fails still leaves it; removed once
// that password stops working (the admin chose their own). Never logs the password.
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const INITIAL_PASSWORD_FILE_NAME = "initial-admin-password";

export class InitialPasswordFile {
  constructor(readonly path: string) {}

  static in(dataDir: string): InitialPasswordFile {
    return new InitialPasswordFile(join(dataDir, INITIAL_PASSWORD_FILE_NAME));
  }

  write(password: string): void {
    writeFileSync(this.path, `${password}\n`, { mode: 0o600 });
    // writeFile's mode applies only to a new file, through the umask: make it exactly 0600.
    chmodSync(this.path, 0o600);
  }

  /** The password, or null when there is no file. */
  read(): string | null {
    try {
      return readFileSync(this.path, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  discard(): void {
    rmSync(this.path, { force: true });
  }

  /** Removes the file when it holds this password (which was just replaced). */
  discardIfHolds(password: string): void {
    if (this.read() === password) this.discard();
  }
}
