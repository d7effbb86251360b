// Real network namespaces for tests that run real WireGuard: a namespace per test host with a veth
// to the host on its own /30 from 198.18.0.0/16, helpers to bring up a wg-quick client inside one and
// ping through it, and teardown that also works after a crashed run. Only touches names that start
// with the caller's prefix; never 192.0.2.0/24 or fd00::/8.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_RUN_DIR, runCommand } from "@wgfleet/wireguard";
import { claim, currentOwner, isOwnerAlive, processStartTime, readRecord, release } from "./ownership.js";
import {
  allocateSlot,
  dropGuardWhenUnused,
  guardUnderlay,
  releaseSlot,
  type Slot,
  UNDERLAY_CIDR,
} from "./underlay.js";

export interface ExecOptions {
  input?: string;
  timeoutMs?: number;
  /** Added to the test process's environment (which the program inherits unless inheritEnv is false). */
  env?: Record<string, string>;
  inheritEnv?: boolean;
  /** Own session: for programs that leave a daemon behind (wireguard-go). */
  detached?: boolean;
}

export interface TestNamespace {
  name: string;
  /** Host side of the veth (198.18.0.x/30). */
  hostAddress: string;
  /** Namespace side of the veth: what other namespaces and the host reach it at. */
  nsAddress: string;
  /** Runs a program inside the namespace (`ip netns exec NAME cmd ...`); argument array only. */
  exec(cmd: string, args: string[], options?: ExecOptions): Promise<{ stdout: string; stderr: string }>;
  /** Deletes every interface made in it (stopping wireguard-go), kills what still runs in it, then the veth and the namespace. */
  destroy(): Promise<void>;
}

const USERSPACE_ENV = { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1", LOG_LEVEL: "" };

/** `prefix` + random hex, at most `max` characters (namespace names leave room for veth suffixes). */
export function uniqueName(prefix: string, max = 12): string {
  const room = max - prefix.length;
  if (room < 4) throw new Error(`prefix "${prefix}" leaves fewer than 4 random characters in ${max}`);
  return prefix + randomBytes(8).toString("hex").slice(0, Math.min(room, 8));
}

/**
 * A fresh namespace `prefix<random>` with `lo` up and a veth to the host; the namespace reaches the
 * whole 198.18.0.0/16 (other test namespaces) through the host, which forwards between these veths only.
 */
export async function createNamespace(prefix: string): Promise<TestNamespace> {
  const name = uniqueName(prefix);
  const slot = await allocateSlot(name);
  if (!(await claim("ns", name, String(slot.index)))) {
    await releaseSlot(slot.index, name);
    throw new Error(`namespace name ${name} already claimed`);
  }
  try {
    await buildNamespace(name, slot);
    return namespaceHandle(name, slot);
  } catch (error) {
    await destroyNamespace(name, slot.index).catch(() => {});
    throw error;
  }
}

async function buildNamespace(name: string, slot: Slot): Promise<void> {
  const host = `${name}h`;
  const inner = `${name}n`;
  await guardUnderlay();
  await ip(["netns", "add", name]);
  await ip(["link", "add", "dev", host, "type", "veth", "peer", "name", inner]);
  await ip(["link", "set", "dev", inner, "netns", name]);
  await ip(["address", "add", `${slot.hostAddress}/30`, "dev", host]);
  await ip(["link", "set", "dev", host, "up"]);
  // Forward only what arrives on our own veths; the host's global forwarding stays off.
  await writeFile(`/proc/sys/net/ipv4/conf/${host}/forwarding`, "1");
  await ip(["-n", name, "link", "set", "dev", "lo", "up"]);
  await ip(["-n", name, "address", "add", `${slot.nsAddress}/30`, "dev", inner]);
  await ip(["-n", name, "link", "set", "dev", inner, "up"]);
  await ip(["-n", name, "route", "add", UNDERLAY_CIDR, "via", slot.hostAddress]);
}

/** A namespace holding only loopback: no veth, no route, nothing the host's tables show. */
export interface LoopbackNamespace {
  name: string;
  /** Kills what runs in it, then deletes it. */
  destroy(): Promise<void>;
}

/** A fresh namespace `prefix<random>` with only `lo` up; removed by cleanupStale(prefix) after a crash. */
export async function createLoopbackNamespace(prefix: string): Promise<LoopbackNamespace> {
  const name = uniqueName(prefix);
  if (!(await claim("ns", name))) throw new Error(`namespace name ${name} already claimed`);
  const destroy = () => destroyNamespace(name, null);
  try {
    await ip(["netns", "add", name]);
    await ip(["-n", name, "link", "set", "dev", "lo", "up"]);
    return { name, destroy };
  } catch (error) {
    await destroy().catch(() => {});
    throw error;
  }
}

function namespaceHandle(name: string, slot: Slot): TestNamespace {
  return {
    name,
    hostAddress: slot.hostAddress,
    nsAddress: slot.nsAddress,
    exec: (cmd, args, options = {}) => runCommand(cmd, args, { inheritEnv: true, ...options, netns: name }),
    destroy: () => destroyNamespace(name, slot.index),
  };
}

/**
 * Brings up a wg-quick config inside `ns` (wireguard-go, started by wg-quick). Two adaptations, both
 * for tools these machines lack (see adaptClientConfig): `DNS =` lines are dropped (wg-quick would
 * call resolvconf), and a default route in AllowedIPs is split in halves (wg-quick's default-route
 * path needs iptables-restore). Keys, addresses, endpoint and the routed ranges are unchanged.
 */
export async function bringUpClient(
  ns: TestNamespace,
  configText: string,
  interfaceName: string,
): Promise<void> {
  if (interfaceName.length > 15)
    throw new Error(`interface name ${interfaceName} is longer than 15 characters`);
  const dir = await mkdtemp(join(tmpdir(), "wgfleet-client-"));
  try {
    const path = join(dir, `${interfaceName}.conf`);
    await writeFile(path, adaptClientConfig(configText), { mode: 0o600 });
    await runCommand("wg-quick", ["up", path], {
      netns: ns.name,
      env: USERSPACE_ENV,
      detached: true,
      timeoutMs: 30_000,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The config as wg-quick can bring it up here: without `DNS =` lines, and with `0.0.0.0/0` / `::/0`
 * in AllowedIPs replaced by their two halves. The halves route exactly the same traffic into the
 * tunnel; the endpoint stays reachable because the namespace's route to 198.18.0.0/16 is more specific.
 */
export function adaptClientConfig(configText: string): string {
  return configText
    .split("\n")
    .filter((line) => !/^\s*DNS\s*=/i.test(line))
    .map((line) => (/^\s*AllowedIPs\s*=/i.test(line) ? splitDefaultRoutes(line) : line))
    .join("\n");
}

const DEFAULT_ROUTE_HALVES: Record<string, string[]> = {
  "0.0.0.0/0": ["0.0.0.0/1", "128.0.0.0/1"],
  "::/0": ["::/1", "8000::/1"],
};

function splitDefaultRoutes(line: string): string {
  const eq = line.indexOf("=");
  const entries = line
    .slice(eq + 1)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const routes = entries.flatMap((entry) => DEFAULT_ROUTE_HALVES[entry] ?? [entry]);
  return `${line.slice(0, eq + 1)} ${routes.join(", ")}`;
}

/** A namespace with a wg-quick client already up in it. */
export async function createClientNamespace(
  prefix: string,
  configText: string,
  interfaceName: string,
): Promise<TestNamespace> {
  const ns = await createNamespace(prefix);
  try {
    await bringUpClient(ns, configText, interfaceName);
    return ns;
  } catch (error) {
    await ns.destroy();
    throw error;
  }
}

/** True when `address` answers within the time; never throws for an unreachable address. */
export async function ping(
  ns: TestNamespace,
  address: string,
  options: { count?: number; timeoutSec?: number } = {},
): Promise<boolean> {
  const count = options.count ?? 1;
  const timeoutSec = options.timeoutSec ?? 3;
  try {
    await ns.exec("ping", ["-n", "-q", "-c", String(count), "-w", String(timeoutSec), address], {
      timeoutMs: (timeoutSec + 5) * 1000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes what a crashed run left: namespaces `prefix*` whose creating process is gone, wireguard-go
 * processes for `prefix*` interfaces outside live test namespaces, and their stale UAPI sockets.
 * Resources of test processes that are still running are left alone.
 */
export async function cleanupStale(prefix: string): Promise<void> {
  for (const name of await listNamespaces()) {
    if (!name.startsWith(prefix)) continue;
    const record = await readRecord("ns", name);
    if (record && (await isOwnerAlive(record.owner))) continue;
    await destroyNamespace(name, record?.extra ? Number(record.extra) : null);
  }
  await stopStaleWireGuardGo(prefix);
  await removeDeadSockets(prefix);
}

// ---- teardown -------------------------------------------------------------------------------------

async function destroyNamespace(name: string, slotIndex: number | null): Promise<void> {
  const errors: unknown[] = [];
  const step = async (body: () => Promise<unknown>) => {
    try {
      await body();
    } catch (error) {
      errors.push(error);
    }
  };
  const inode = await namespaceInode(name);
  if (inode !== null) {
    await step(() => deleteWireGuardLinks(name, inode));
    await step(() => killProcessesIn(name));
  }
  await step(() => ipQuiet(["link", "del", "dev", `${name}h`]));
  if (inode !== null) await step(() => ip(["netns", "del", name]));
  // The slot's record goes only once its address has left the host: a veth the kernel is still tearing
  // down (namespace deletion is asynchronous) would otherwise hold an address nobody claims.
  if (slotIndex !== null && (await hostLinkGone(`${name}h`))) await step(() => releaseSlot(slotIndex, name));
  await step(() => dropGuardWhenUnused());
  await step(() => release("ns", name));
  if (errors.length > 0) throw new AggregateError(errors, `could not fully destroy namespace ${name}`);
}

/** Waits up to 5 s for a host link to disappear (deleting it once more half way); true once it has. */
async function hostLinkGone(link: string): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const exists = await ip(["link", "show", "dev", link]).then(
      () => true,
      () => false,
    );
    if (!exists) return true;
    if (attempt === 25) await ipQuiet(["link", "del", "dev", link]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Deletes every WireGuard link in the namespace, so each wireguard-go exits and removes its socket. */
async function deleteWireGuardLinks(name: string, inode: number): Promise<void> {
  const { stdout } = await ip(["-n", name, "-j", "-d", "link", "show"]);
  const links = JSON.parse(stdout) as Array<{ ifname: string; linkinfo?: { info_kind?: string } }>;
  const wireguard = links.filter(
    (l) => l.linkinfo?.info_kind === "wireguard" || l.linkinfo?.info_kind === "tun",
  );
  const goPids = await wireguardGoPids(() => true);
  const ours = goPids.filter((p) => p.netInode === inode);
  for (const link of wireguard) await ipQuiet(["-n", name, "link", "del", "dev", link.ifname]);
  await waitGone(ours.map((p) => p.pid));
  for (const p of ours) await removeSocketIfDead(p.interfaceName);
}

async function killProcessesIn(name: string): Promise<void> {
  const { stdout } = await ip(["netns", "pids", name]);
  const pids = stdout.split(/\s+/).filter(Boolean).map(Number);
  await waitGone(pids, 0);
}

// ---- processes and sockets --------------------------------------------------------------------------

interface GoProcess {
  pid: number;
  interfaceName: string;
  netInode: number | null;
}

async function wireguardGoPids(match: (interfaceName: string) => boolean): Promise<GoProcess[]> {
  const found: GoProcess[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await cmdline(Number(entry));
    if (!argv?.[0]?.endsWith("wireguard-go")) continue;
    const interfaceName = argv.slice(1).find((a) => !a.startsWith("-"));
    if (!interfaceName || !match(interfaceName)) continue;
    if ((await processStartTime(Number(entry))) === null) continue;
    found.push({ pid: Number(entry), interfaceName, netInode: await inodeOf(`/proc/${entry}/ns/net`) });
  }
  return found;
}

async function stopStaleWireGuardGo(prefix: string): Promise<void> {
  const hostInode = await inodeOf("/proc/self/ns/net");
  const liveInodes = new Set<number>();
  for (const name of await listNamespaces()) {
    const inode = await namespaceInode(name);
    if (inode !== null) liveInodes.add(inode);
  }
  const me = await currentOwner();
  const stale: number[] = [];
  for (const p of await wireguardGoPids((n) => n.startsWith(prefix))) {
    if (p.netInode !== null && p.netInode !== hostInode && liveInodes.has(p.netInode)) continue; // in a live namespace
    if (p.netInode === hostInode && !(await startedBefore(p.pid, me.startTime))) continue; // ours or a parallel test's
    stale.push(p.pid);
  }
  await waitGone(stale, 0);
}

async function startedBefore(pid: number, startTime: string): Promise<boolean> {
  const theirs = await processStartTime(pid);
  return theirs !== null && Number(theirs) < Number(startTime);
}

async function removeDeadSockets(prefix: string): Promise<void> {
  let files: string[];
  try {
    files = await readdir(DEFAULT_RUN_DIR);
  } catch {
    return;
  }
  for (const file of files) {
    if (file.startsWith(prefix) && file.endsWith(".sock")) await removeSocketIfDead(file.slice(0, -5));
  }
}

async function removeSocketIfDead(interfaceName: string): Promise<void> {
  const path = join(DEFAULT_RUN_DIR, `${interfaceName}.sock`);
  const alive = await new Promise<boolean>((resolve) => {
    const socket = connect(path);
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
  if (!alive) await rm(path, { force: true });
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL whatever is left, and wait for it. */
async function waitGone(pids: number[], graceMs = 2_000): Promise<void> {
  const deadline = Date.now() + graceMs + 3_000;
  let signalled: NodeJS.Signals | null = null;
  const started = Date.now();
  let alive = pids;
  while (alive.length > 0 && Date.now() < deadline) {
    const elapsed = Date.now() - started;
    const wanted: NodeJS.Signals | null =
      elapsed >= graceMs + 1_000 ? "SIGKILL" : elapsed >= graceMs ? "SIGTERM" : null;
    if (wanted && wanted !== signalled) {
      for (const pid of alive) signal(pid, wanted);
      signalled = wanted;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
    const states = await Promise.all(alive.map(processStartTime));
    alive = alive.filter((_, i) => states[i] !== null);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
}

// ---- small helpers ------------------------------------------------------------------------------------

async function listNamespaces(): Promise<string[]> {
  const { stdout } = await ip(["-j", "netns", "list"]);
  if (!stdout.trim()) return [];
  return (JSON.parse(stdout) as Array<{ name: string }>).map((n) => n.name);
}

async function namespaceInode(name: string): Promise<number | null> {
  return inodeOf(`/run/netns/${name}`);
}

async function inodeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).ino;
  } catch {
    return null;
  }
}

async function cmdline(pid: number): Promise<string[] | null> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

function ip(args: string[]) {
  return runCommand("ip", args);
}

/** `ip ...` where a missing device or namespace is fine. */
async function ipQuiet(args: string[]): Promise<void> {
  try {
    await ip(args);
  } catch (error) {
    if (!/cannot find device|does not exist|no such file/i.test(String(error))) throw error;
  }
}
