// Hands secrets to `wg` the only safe way besides stdin: files with mode 0600 in a private (0700)
// temporary folder, deleted right after the command. A key never appears on a command line.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface KeyFiles {
  /** Writes one secret (or a whole config holding secrets) and returns its path. */
  write(content: string, name?: string): Promise<string>;
}

/** Runs `body` with a fresh private folder for secret files and removes the folder afterwards. */
export async function withKeyFiles<T>(body: (files: KeyFiles) => Promise<T>, parent = tmpdir()): Promise<T> {
  const dir = await mkdtemp(join(parent, "wgfleet-keys-"));
  let counter = 0;
  const files: KeyFiles = {
    async write(content, name) {
      counter += 1;
      const path = join(dir, name ?? `key-${counter}`);
      await writeFile(path, content, { mode: 0o600, flag: "wx" });
      return path;
    },
  };
  try {
    return await body(files);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
