// Who made a test resource: a record "pid starttime" per namespace and per underlay slot under
// /run/wgfleet-test, so that cleanupStale removes what a dead test process left and never what a
// test running in parallel (same prefix, another file) still uses.
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const STATE_DIR = "/run/wgfleet-test";

export interface Owner {
  pid: number;
  startTime: string;
}

/** Kernel start time of a process (clock ticks since boot), or null when it is gone or a zombie. */
export async function processStartTime(pid: number): Promise<string | null> {
  try {
    const line = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
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

/**
 * Creates the record; false when it exists already (someone else holds `key`). The record appears
 * whole (written aside, then hard-linked into place, which fails when the name exists): a reader
 * never sees an empty record, which it would take for a dead owner's and reclaim.
 */
export async function claim(kind: string, key: string, extra = ""): Promise<boolean> {
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  const owner = await currentOwner();
  // Not starting with a kind: listings of `slot-*` records never see it.
  const aside = join(STATE_DIR, `.claim-${owner.pid}-${randomBytes(6).toString("hex")}`);
  await writeFile(aside, `${owner.pid} ${owner.startTime} ${extra}\n`, { flag: "wx" });
  try {
    await link(aside, recordPath(kind, key));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await rm(aside, { force: true });
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

/** A record that does not parse is taken for an abandoned one only after this long (see isAbandoned). */
const UNPARSED_GRACE_MS = 10_000;

/**
 * Whether the record exists and its owner is gone: its pid runs no process, a zombie, or another
 * process than the owner (the kernel start time differs: the pid was reused). A record without a pid
 * and start time counts only once older than 10 s: claims of older code create the file first and
 * write it after, and a reader can catch it empty.
 */
export async function isAbandoned(kind: string, key: string): Promise<boolean> {
  const record = await readRecord(kind, key);
  if (!record) return false;
  if (Number.isInteger(record.owner.pid) && record.owner.pid > 0 && record.owner.startTime !== "")
    return !(await isOwnerAlive(record.owner));
  const info = await stat(recordPath(kind, key)).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > UNPARSED_GRACE_MS;
}

export async function release(kind: string, key: string): Promise<void> {
  await rm(recordPath(kind, key), { force: true });
}
