// What a CLI command may touch besides the database: its output streams, stdin and the environment.
// Injected so commands can be run in-process by tests; the real process's are the default.
import { readFileSync } from "node:fs";

export interface CliIo {
  /** Command results (an API key, a generated password): one line each. */
  out(line: string): void;
  /** Banners, prompts and errors. */
  err(line: string): void;
  /** All of stdin as text (the password for `user add`). */
  readStdin(): Promise<string>;
  stdinIsTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** A bad flag or argument: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8");
  },
  stdinIsTty: process.stdin.isTTY === true,
  env: process.env,
};

/** A file's text, or a one-line error naming the flag and the reason. */
export function readTextFile(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new UsageError(`${flag}: cannot read ${path} (${code})`);
  }
}
