// A private, throwaway PostgreSQL cluster for the tests: initdb in a fresh temp dir, trust auth, a
// free port on 127.0.0.1, stopped and removed at the end. It never touches the machine's own clusters:
// it only signals postmasters whose data directory is one of its own `wgfleet-pg-*` temp dirs.
//
// The cluster starts lazily: the first test worker that needs it starts it (a lock in the run's state
// dir makes sure only one does), the others wait for it, and the global teardown stops it. A run that
// needs no PostgreSQL (core tests) pays nothing.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const execFileAsync = promisify(execFile);
const CLUSTER_PREFIX = "wgfleet-pg-";
const STATE_PREFIX = "wgfleet-pgstate-";
const OWNER_FILE = "owner.pid";
const SERVER_FILE = "server.json";
const FAILED_FILE = "failed.txt";
const LOCK_DIR = "starting";
const STARTUP_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 30_000;

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: the superuser on the maintenance database. */
  url: string;
  /** The temp dir holding the cluster (`data/`), its socket and `postgres.log`. */
  dir: string;
  pid: number;
}

interface Account {
  uid: number;
  gid: number;
}

/** The newest installed PostgreSQL's bin directory (Debian layout), or null. */
export function findPostgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry) && existsSync(join(root, entry, "bin", "initdb")))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] === undefined ? null : join(root, versions[0], "bin");
}

/** Why a private cluster cannot be started here, or null when it can. */
export function postgresUnavailableReason(): string | null {
  if (findPostgresBinDir() === null) {
    return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)";
  }
  if (isRoot() && postgresAccount() === null) return "running as root and there is no `postgres` user";
  return null;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * initdb + postgres on a free port; resolves once it accepts connections, and cleans up after itself
 * on failure. `ownerPid`: the process whose death makes the cluster stale (default: this one).
 * `detached`: the server outlives this process (stop it with `stopPostgres`); otherwise it is also
 * shut down when this process exits.
 */
export async function startPostgres(
  options: { ownerPid?: number; detached?: boolean } = {},
): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const unavailable = postgresUnavailableReason();
  if (binDir === null || unavailable !== null) throw new Error(unavailable ?? "PostgreSQL is not installed");
  const account = isRoot() ? postgresAccount() : null;
  const dir = mkdtempSync(join(tmpdir(), CLUSTER_PREFIX));
  let child: ChildProcess | undefined;
  try {
    writeFileSync(join(dir, OWNER_FILE), `${options.ownerPid ?? process.pid}\n`, { mode: 0o644 });
    if (account) chownSync(dir, account.uid, account.gid);
    const dataDir = join(dir, "data");
    await runAs(account, join(binDir, "initdb"), [
      ...["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
      ...["--no-locale", "--no-sync", "--no-instructions"],
    ]);
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort();
      child = spawnPostgres(binDir, dir, dataDir, port, account, options.detached ?? false);
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      try {
        await waitUntilAccepting(url, child, dir);
        return { url, dir, pid: child.pid ?? -1 };
      } catch (error) {
        // Someone took the port between our probe and postgres' bind: try another one.
        if (attempt >= 3 || !logTail(dir).includes("could not bind")) throw error;
        await stopChild(child);
        child = undefined;
      }
    }
  } catch (error) {
    if (child) await stopChild(child).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Fast shutdown (SIGINT), immediate shutdown (SIGQUIT) if it lingers, then the dir goes. */
export async function stopPostgres(server: Pick<PostgresServer, "pid" | "dir">): Promise<void> {
  if (ownsPostmaster(server.pid, join(server.dir, "data"))) {
    await signalAndWait(server.pid, "SIGINT", SHUTDOWN_TIMEOUT_MS);
    if (processAlive(server.pid)) await signalAndWait(server.pid, "SIGQUIT", SHUTDOWN_TIMEOUT_MS);
  }
  rmSync(server.dir, { recursive: true, force: true });
}

// --- the lazily started server shared by the workers of one run ----------------------------------

/** The global setup's part: a state dir the workers coordinate through. */
export function createSharedState(): string {
  const stateDir = mkdtempSync(join(tmpdir(), STATE_PREFIX));
  writeFileSync(join(stateDir, OWNER_FILE), `${process.pid}\n`);
  return stateDir;
}

let sharedUrl: Promise<string> | undefined;

/** The worker's part: the URL of the run's cluster, starting it if no worker has yet. */
export function sharedPostgresUrl(stateDir: string): Promise<string> {
  sharedUrl ??= acquireShared(stateDir);
  return sharedUrl;
}

async function acquireShared(stateDir: string): Promise<string> {
  const known = readSharedOutcome(stateDir);
  if (known) return known.url;
  let starter = false;
  try {
    mkdirSync(join(stateDir, LOCK_DIR));
    starter = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if (!starter) return (await waitForShared(stateDir)).url;
  try {
    const ownerPid = Number(readFileSync(join(stateDir, OWNER_FILE), "utf8").trim());
    const server = await startPostgres({ ownerPid, detached: true });
    writeAtomically(join(stateDir, SERVER_FILE), JSON.stringify(server));
    return server.url;
  } catch (error) {
    writeAtomically(join(stateDir, FAILED_FILE), error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function readSharedOutcome(stateDir: string): PostgresServer | null {
  const failed = join(stateDir, FAILED_FILE);
  if (existsSync(failed))
    throw new Error(`the test PostgreSQL failed to start: ${readFileSync(failed, "utf8")}`);
  const serverFile = join(stateDir, SERVER_FILE);
  return existsSync(serverFile) ? (JSON.parse(readFileSync(serverFile, "utf8")) as PostgresServer) : null;
}

async function waitForShared(stateDir: string, timeoutMs = 2 * STARTUP_TIMEOUT_MS): Promise<PostgresServer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = readSharedOutcome(stateDir);
    if (server) return server;
    if (Date.now() > deadline) throw new Error("timed out waiting for another worker to start PostgreSQL");
    await sleep(100);
  }
}

/** The global teardown's part: stops the run's cluster if a worker started one, removes the state. */
export async function releaseSharedState(stateDir: string): Promise<void> {
  try {
    if (existsSync(join(stateDir, LOCK_DIR))) {
      const server = await waitForShared(stateDir).catch(() => null);
      if (server) await stopPostgres(server);
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

// --- housekeeping ----------------------------------------------------------------------------------

/**
 * Removes what runs that died without teardown (SIGKILL of the runner) left behind: `wgfleet-pg-*`
 * cluster dirs and `wgfleet-pgstate-*` dirs whose owner process is gone. A postmaster is signalled
 * only when /proc shows it runs on that very data directory.
 */
export async function cleanupStaleClusters(): Promise<void> {
  const root = tmpdir();
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith(CLUSTER_PREFIX) && !entry.startsWith(STATE_PREFIX)) continue;
    const dir = join(root, entry);
    try {
      if (!statSync(dir).isDirectory()) continue;
      const owner = Number(readFileSync(join(dir, OWNER_FILE), "utf8").trim());
      if (!Number.isInteger(owner) || owner <= 0 || processAlive(owner)) continue;
      if (entry.startsWith(CLUSTER_PREFIX)) await stopPostgres({ pid: postmasterPid(dir), dir });
      else rmSync(dir, { recursive: true, force: true });
    } catch {
      // Being created or removed by another runner right now (no owner file yet): leave it.
    }
  }
}

function postmasterPid(dir: string): number {
  try {
    return Number(readFileSync(join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return -1;
  }
}

// --- processes ---------------------------------------------------------------------------------------

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function postgresAccount(): Account | null {
  try {
    const line = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith("postgres:"));
    if (!line) return null;
    const [, , uid, gid] = line.split(":");
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return null;
  }
}

function postgresEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C", LC_ALL: "C" };
}

/** Runs a PostgreSQL tool as the postgres account when we are root (initdb refuses root). */
async function runAs(account: Account | null, command: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(command, args, {
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      env: postgresEnv(),
      cwd: "/",
    });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${command} failed: ${(stderr || String(error)).trim()}`);
  }
}

function spawnPostgres(
  binDir: string,
  dir: string,
  dataDir: string,
  port: number,
  account: Account | null,
  detached: boolean,
): ChildProcess {
  const settings = [
    "listen_addresses=127.0.0.1",
    "fsync=off", // a throwaway cluster: durability buys nothing here
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=300",
    "shared_buffers=64MB",
    "log_min_messages=warning",
  ];
  const args = ["-D", dataDir, "-p", String(port), "-k", dir, ...settings.flatMap((s) => ["-c", s])];
  const log = openSync(join(dir, "postgres.log"), "a", 0o644);
  let child: ChildProcess;
  try {
    child = spawn(join(binDir, "postgres"), args, {
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      env: postgresEnv(),
      cwd: "/",
      stdio: ["ignore", log, log],
      detached,
    });
  } finally {
    closeSync(log);
  }
  if (detached) {
    child.unref();
  } else {
    // Last resort when this process exits without stopping it (Ctrl-C): an immediate shutdown.
    const onExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGQUIT");
    };
    process.once("exit", onExit);
    child.once("exit", () => process.removeListener("exit", onExit));
  }
  return child;
}

async function waitUntilAccepting(url: string, child: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `postgres exited during start-up (${child.exitCode ?? child.signalCode}): ${logTail(dir)}`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      await sleep(100);
    }
  }
  throw new Error(
    `postgres did not accept connections within ${STARTUP_TIMEOUT_MS} ms: ${String(lastError)}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGQUIT"), SHUTDOWN_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** True when `pid` is a live postgres process running on `dataDir` (so signalling it is safe). */
function ownsPostmaster(pid: number, dataDir: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(dataDir);
  } catch {
    return false;
  }
}

async function signalAndWait(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid) && Date.now() < deadline) await sleep(50);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie (exited, not yet reaped by its parent) no longer runs.
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, "postgres.log"), "utf8").trim().split("\n").slice(-10).join("\n");
  } catch {
    return "(no log)";
  }
}

function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
