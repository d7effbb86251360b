// A link's state from sysfs: a few small file reads instead of an `ip` process, whose fork was most of
// the CPU of an agent's health request. sysfs shows the network namespace it was mounted in, which is
// not always the process's own: `ip netns exec` and container runtimes mount one for the namespace,
// but a process moved with `nsenter --net` still sees the host's. /proc/self/net/dev always lists the
// process's own namespace, so sysfs is believed only when it lists exactly those interfaces and the
// link still has the index netlink (`ip`) gave it; otherwise the caller asks `ip`. SysfsLinks remembers
// for a while that sysfs is another namespace's, so such a process does not read it on every call.
// The files are read synchronously: sysfs and procfs are made in memory when read and never wait for a
// disk, and each asynchronous read is four trips through libuv's thread pool (open, stat, read, close)
// — about 0.5 ms of CPU for the five reads of a health answer, against a few tens of µs this way.
import { readdirSync, readFileSync } from "node:fs";

/** Where the files are read (tests point these at a directory of their own). */
export interface SysfsPaths {
  classNet: string;
  procNetDev: string;
}

export const SYSTEM_SYSFS_PATHS: SysfsPaths = {
  classNet: "/sys/class/net",
  procNetDev: "/proc/self/net/dev",
};

/** IFF_UP in a link's `flags`. */
const IFF_UP = 0x1;

/**
 * How long sysfs is left alone once it listed other interfaces than the process's own. A process moved
 * into a namespace (nsenter --net) sees the host's sysfs for as long as it runs, so it would read and
 * refuse sysfs before every `ip` call; a bounded time (rather than for good) also covers a mismatch
 * that was only a link made or deleted between the two listings, which then costs `ip` calls for this
 * long, no wrong answer. Time rather than "until the interfaces change": noticing that change would
 * itself need a read per call.
 */
export const SYSFS_DISTRUST_MS = 60_000;

export interface LinkSysfsState {
  up: boolean;
  mtu: number;
}

/** read's answers, and "other-namespace": sysfs lists other interfaces than the process's. */
type SysfsAnswer = LinkSysfsState | null | undefined | "other-namespace";

/**
 * Reads links from sysfs; reads nothing for SYSFS_DISTRUST_MS once sysfs turned out to be another
 * namespace's (answering undefined meanwhile: ask `ip`).
 */
export class SysfsLinks {
  private distrustedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly paths: SysfsPaths = SYSTEM_SYSFS_PATHS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The link's admin state and MTU; null when the process's namespace has no such link; undefined when
   * sysfs cannot be trusted for it (another namespace's sysfs, a different link under the same name, or
   * the link changing while read).
   */
  async read(name: string, ifindex: number): Promise<LinkSysfsState | null | undefined> {
    if (this.now() < this.distrustedUntil) return undefined;
    const answer = readSysfs(name, ifindex, this.paths);
    if (answer !== "other-namespace") return answer;
    this.distrustedUntil = this.now() + SYSFS_DISTRUST_MS;
    return undefined;
  }
}

function readSysfs(name: string, ifindex: number, paths: SysfsPaths): SysfsAnswer {
  try {
    const own = namesInProcNetDev(paths.procNetDev);
    if (!own.has(name)) return null;
    if (!sameNames(own, linksInSysfs(paths.classNet))) return "other-namespace";
    const dir = `${paths.classNet}/${name}`;
    const [index, flags, mtu] = ["ifindex", "flags", "mtu"].map((file) =>
      readFileSync(`${dir}/${file}`, "utf8"),
    );
    if (Number(index) !== ifindex) return undefined;
    return { up: (Number.parseInt(flags ?? "", 16) & IFF_UP) !== 0, mtu: Number(mtu) };
  } catch {
    return undefined;
  }
}

/** The interface names of /proc/net/dev: two header lines, then `NAME: counters…` per interface. */
export function parseProcNetDev(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split("\n").slice(2)) {
    const colon = line.indexOf(":");
    if (colon > 0) names.add(line.slice(0, colon).trim());
  }
  return names;
}

function namesInProcNetDev(path: string): Set<string> {
  return parseProcNetDev(readFileSync(path, "utf8"));
}

/** The links sysfs lists: symbolic links (a regular file such as bonding_masters is not a link). */
function linksInSysfs(dir: string): Set<string> {
  const entries = readdirSync(dir, { withFileTypes: true });
  return new Set(entries.filter((entry) => entry.isSymbolicLink()).map((entry) => entry.name));
}

function sameNames(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const name of a) if (!b.has(name)) return false;
  return true;
}
