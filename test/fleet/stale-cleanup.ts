// What a fleet leaves on disk and in the process table, and how the next run removes it after a crash.
// A fleet's files live in one temp dir `wgfleet-fleet-<prefix>-XXXXXX` with an `owner` record (pid and
// kernel start time); every agent and dashboard names that dir on its command line. A dir whose owner
// is gone is stale: the processes naming it are killed, then the namespaces (netns.ts), then the dir.
// Fleets of live processes — another test file running in parallel — are never touched.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanupStale as cleanupStaleNamespaces } from "../support/netns.js";
import { currentOwner, isOwnerAlive, processStartTime } from "../support/ownership.js";
import { sleep } from "./managed-process.js";

const DIR_PREFIX = "wgfleet-fleet-";
/** A dir without an owner record younger than this may be a run that is just starting. */
const ORPHAN_GRACE_MS = 60_000;

/** Fleet prefixes end up in namespace names (12 characters with room for "n64" and 4 random ones). */
export function checkPrefix(prefix: string): string {
  if (!/^[a-z][a-z0-9]{0,4}$/.test(prefix)) {
    throw new Error(
      `fleet prefix "${prefix}" must be 1-5 lowercase letters or digits, starting with a letter`,
    );
  }
  return prefix;
}

/** A fresh fleet dir owned by this process. */
export async function createFleetDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${checkPrefix(prefix)}-`));
  const owner = await currentOwner();
  await writeFile(join(dir, "owner"), `${owner.pid} ${owner.startTime}\n`);
  return dir;
}

/**
 * Removes what a crashed fleet run with this prefix left: its agent and dashboard processes, its
 * namespaces with their wireguard-go processes and sockets (netns.ts cleanupStale), its temp dirs.
 */
export async function cleanupStale(prefix: string): Promise<void> {
  const stale = await staleFleetDirs(checkPrefix(prefix));
  for (const dir of stale) await killProcessesNaming(dir);
  await cleanupStaleNamespaces(prefix);
  for (const dir of stale) await rm(dir, { recursive: true, force: true });
}

async function staleFleetDirs(prefix: string): Promise<string[]> {
  const base = tmpdir();
  const stale: string[] = [];
  for (const entry of await readdir(base)) {
    if (!entry.startsWith(`${DIR_PREFIX}${prefix}-`)) continue;
    const dir = join(base, entry);
    if (await isStale(dir)) stale.push(dir);
  }
  return stale;
}

async function isStale(dir: string): Promise<boolean> {
  const record = await readFile(join(dir, "owner"), "utf8").catch(() => null);
  if (record === null) {
    const info = await stat(dir).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > ORPHAN_GRACE_MS;
  }
  const [pid, startTime] = record.trim().split(" ");
  return !(await isOwnerAlive({ pid: Number(pid), startTime: startTime ?? "" }));
}

/** Pids (other than ours) whose command line names a path inside `dir`. */
export async function processesNaming(dir: string): Promise<number[]> {
  const needle = `${dir}/`;
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const raw = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (raw.split("\0").some((arg) => arg.includes(needle))) pids.push(Number(entry));
  }
  return pids;
}

/** SIGTERM to every process naming `dir`, SIGKILL after 3 s, and wait until they are gone. */
async function killProcessesNaming(dir: string): Promise<void> {
  let pids = await processesNaming(dir);
  const started = Date.now();
  let killed = false;
  for (const pid of pids) signal(pid, "SIGTERM");
  while (pids.length > 0 && Date.now() - started < 8_000) {
    if (!killed && Date.now() - started > 3_000) {
      for (const pid of pids) signal(pid, "SIGKILL");
      killed = true;
    }
    await sleep(50);
    const alive = await Promise.all(pids.map(processStartTime));
    pids = pids.filter((_, i) => alive[i] !== null);
  }
  if (pids.length > 0)
    throw new Error(`processes ${pids.join(", ")} of a stale fleet in ${dir} would not die`);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}
