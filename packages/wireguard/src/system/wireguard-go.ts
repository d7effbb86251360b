// Starts and finds wireguard-go, the userspace implementation used where the kernel has no WireGuard
// module. It daemonizes in its own session so it outlives us; `ip link del NAME` makes it exit; its
// pid is found again by scanning /proc for `wireguard-go NAME`.
import { readdir, readFile, stat } from "node:fs/promises";
import type { Runner } from "./runner.js";

export const USERSPACE_ENV = { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1" };

/**
 * Creates the interface with wireguard-go. It forks a daemon child and exits once the TUN device and
 * the UAPI socket exist. LOG_LEVEL is cleared: with it the daemon would keep our pipes open.
 */
export async function startWireGuardGo(run: Runner, name: string): Promise<void> {
  await run("wireguard-go", [name], {
    env: { ...USERSPACE_ENV, LOG_LEVEL: "" },
    detached: true,
    errorsOnStdout: true,
  });
}

/**
 * Pids of running wireguard-go processes serving an interface whose name passes `match`, in the
 * given network namespace (a name from `ip netns`; undefined: ours). Another namespace may run a
 * wireguard-go with the same interface name: it is never ours to stop.
 */
export async function findWireGuardGo(
  match: (interfaceName: string) => boolean,
  netns?: string,
): Promise<number[]> {
  const wanted = await inodeOf(netns ? `/run/netns/${netns}` : "/proc/self/ns/net");
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readCmdline(Number(entry));
    if (!argv?.[0]?.endsWith("wireguard-go")) continue;
    const name = argv.slice(1).find((a) => !a.startsWith("-"));
    if (!name || !match(name) || !(await isRunning(Number(entry)))) continue;
    if (wanted !== null && (await inodeOf(`/proc/${entry}/ns/net`)) !== wanted) continue;
    pids.push(Number(entry));
  }
  return pids;
}

async function inodeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).ino;
  } catch {
    return null;
  }
}

async function readCmdline(pid: number): Promise<string[] | null> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return raw ? raw.split("\0").filter((a) => a.length > 0) : null;
  } catch {
    return null;
  }
}

/** Alive and not a zombie waiting to be reaped. */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Waits until every pid has exited; sends SIGTERM, then SIGKILL, to those that linger. */
export async function waitForExit(pids: readonly number[], graceMs = 2_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  let remaining = [...pids];
  while (remaining.length > 0 && Date.now() < deadline) {
    remaining = await stillRunning(remaining);
    if (remaining.length > 0) await sleep(20);
  }
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    remaining = await stillRunning(remaining);
    for (const pid of remaining) signalPid(pid, signal);
    if (remaining.length > 0) await sleep(200);
  }
}

async function stillRunning(pids: readonly number[]): Promise<number[]> {
  const alive = await Promise.all(pids.map(isRunning));
  return pids.filter((_, i) => alive[i]);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone meanwhile
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
