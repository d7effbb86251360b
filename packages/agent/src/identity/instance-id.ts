// The agent's instance id: a random UUID made once in the state dir and reported in health, so the
// dashboard can tell "the same agent, restarted" from "a different machine (or a wiped state dir)
// answering at the same address". Written atomically (temp file, fsync, rename), mode 0600.
import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../state/state-files.js";

export const INSTANCE_ID_FILE = "instance-id";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads the id from `stateDir`, or makes and stores a new one when there is none. */
export async function loadOrCreateInstanceId(stateDir: string): Promise<string> {
  const file = join(stateDir, INSTANCE_ID_FILE);
  const existing = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing !== null) {
    const id = existing.trim();
    if (!UUID.test(id)) {
      throw new Error(`${file} does not hold an instance id (a UUID); remove it to get a new one`);
    }
    return id;
  }
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const id = randomUUID();
  await writeFileAtomic(stateDir, file, `${id}\n`);
  return id;
}
