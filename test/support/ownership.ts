// Who made a test resource: a record "pid starttime" per namespace and per underlay slot under
// /run/wgfleet-test, so that cleanupStale removes what a dead test process left and never what a
// test running in parallel (same prefix, another file) still uses.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const STATE_DIR = "/run/wgfleet-test";

export interface Owner {
  pid: number;
  startTime: string;
}

/** Kernel start time of a process (clock ticks since boot), or null when it is gone or a zombie. */
export async function processStartTime(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return null;
    // After "comm)": state is field 3 of stat; starttime is field 22.
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

let self: Owner | null = null;
export async function currentOwner(): Promise<Owner> {
  if (!self) self = { pid: process.pid, startTime: (await processStartTime(process.pid)) ?? "0" };
  return self;
}

export async function isOwnerAlive(owner: Owner | null): Promise<boolean> {
  if (!owner) return false;
  return (await processStartTime(owner.pid)) === owner.startTime;
}

function recordPath(kind: string, key: string): string {
  return join(STATE_DIR, `${kind}-${key}`);
}

/** Creates the record; false when it exists already (someone else holds `key`). */
export async function claim(kind: string, key: string, extra = ""): Promise<boolean> {
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  const owner = await currentOwner();
  try {
    await writeFile(recordPath(kind, key), `${owner.pid} ${owner.startTime} ${extra}\n`, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

export async function readRecord(kind: string, key: string): Promise<{ owner: Owner; extra: string } | null> {
  try {
    const [pid, startTime, ...rest] = (await readFile(recordPath(kind, key), "utf8")).trim().split(" ");
    return { owner: { pid: Number(pid), startTime: startTime ?? "" }, extra: rest.join(" ") };
  } catch {
    return null;
  }
}

export async function release(kind: string, key: string): Promise<void> {
  await rm(recordPath(kind, key), { force: true });
}
