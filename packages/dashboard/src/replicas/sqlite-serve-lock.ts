// SQLite is the single-process default: a second `wgfleet serve` on the same data dir is refused with
// one clear line. Node has no flock() without a native addon, so the lock is a pid file created
// atomically (a hard link, which fails when the name exists) in the data dir; a file left by a process that no longer runs (a crash) is
// taken over. A pid reused by an unrelated process after a crash would hold the lock falsely: the
// message names the file to delete. Admin commands (user, apikey, backup) never take the lock.
import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { processRuns } from "@wgfleet/wireguard";

export const SERVE_LOCK_FILE = "serve.pid";

export interface ServeLock {
  release(): void;
}

export class ServeLockedError extends Error {}

/** Takes the data dir's serve lock, or throws ServeLockedError naming the process that holds it. */
export function acquireServeLock(dataDir: string): ServeLock {
  const file = join(dataDir, SERVE_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file)) return { release: () => removeIfOurs(file) };
    const holder = readPid(file);
    // The same process (a server restarted in-process, as tests do) is not a second process.
    if (holder === process.pid) return { release: () => {} };
    if (holder !== null && processRuns(holder)) {
      throw new ServeLockedError(
        `another wgfleet serve (pid ${holder}) is already using the SQLite database in ${dataDir}; ` +
          `SQLite allows one dashboard process (use PostgreSQL, DATABASE_URL, for several replicas; ` +
          `if no such process runs, delete ${file})`,
      );
    }
    // Left by a crashed process (or half written): take it over.
    try {
      unlinkSync(file);
    } catch {
      // another starter removed it first; try again
    }
  }
  throw new ServeLockedError(`could not take the serve lock ${file}; is another wgfleet serve starting?`);
}

/** Written to a temp file, then hard-linked into place: the lock file never exists half written. */
function tryCreate(file: string): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function removeIfOurs(file: string): void {
  if (readPid(file) !== process.pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
