// Where the admin commands get a password: --password-file, else stdin (one line; a trailing newline
// is dropped). Never echoes or logs it.
import { type CliIo, readTextFile, UsageError } from "./io.js";

export async function readPassword(io: CliIo, passwordFile: string | undefined): Promise<string> {
  let text: string;
  if (passwordFile !== undefined) {
    text = readTextFile(passwordFile, "--password-file");
  } else {
    if (io.stdinIsTty) io.err("Password (input is visible; end with Enter, then Ctrl-D):");
    text = await io.readStdin();
  }
  const password = text.replace(/\r?\n$/, "");
  if (password.length === 0) {
    throw new UsageError(
      passwordFile !== undefined ? `--password-file: ${passwordFile} is empty` : "no password given on stdin",
    );
  }
  if (/[\r\n]/.test(password)) throw new UsageError("the password must be a single line");
  return password;
}
