// Which WireGuard interfaces this namespace has, without a process per question when the answer cannot
// have changed. `wg show interfaces` (a fork and an exec: with the `ip` listing that filtered it, most of
// the CPU of an agent's health request) is the complete answer — kernel links by netlink, wireguard-go's
// UAPI sockets — but it changes only when a link or a socket comes or goes. In the process's own
// namespace both are cheap to read: /proc/self/net/dev lists its links, the run directory its sockets.
// While both read as they did at the last `wg` listing, and that listing is younger than
// LISTING_MAX_AGE_MS, its answer stands. The age bound covers the one change the two reads cannot see:
// a link deleted and made again under the same name, of another kind, between two questions.
import { readdir, readFile } from "node:fs/promises";
import { parseProcNetDev } from "./sysfs-links.js";

export const LISTING_MAX_AGE_MS = 60_000;

export interface InterfaceListingOptions {
  /** The names `wg show interfaces` prints (every namespace's wireguard-go sockets among them). */
  wgShowInterfaces: () => Promise<string[]>;
  /** wireguard-go's socket folder, shared by every namespace. */
  runDir: string;
  /** Names that are nobody's interface (a capability probe in flight). */
  ignore: (name: string) => boolean;
  procNetDev?: string;
  now?: () => number;
}

interface Listing {
  /** The links and sockets seen when `wg` was asked. */
  seen: string;
  at: number;
  names: string[];
}

export class InterfaceListing {
  private last: Listing | null = null;

  constructor(private readonly options: InterfaceListingOptions) {}

  /** The WireGuard interfaces among this namespace's links, sorted. */
  async list(): Promise<string[]> {
    const now = (this.options.now ?? Date.now)();
    const [links, sockets] = await Promise.all([this.ownLinks(), this.sockets()]);
    const seen = `${[...links].sort().join("\n")}\n\n${sockets.sort().join("\n")}`;
    const last = this.last;
    if (last && last.seen === seen && now - last.at < LISTING_MAX_AGE_MS) return [...last.names];
    // The socket folder is shared by every namespace: only links that exist in ours count.
    const names = (await this.options.wgShowInterfaces())
      .filter((name) => links.has(name) && !this.options.ignore(name))
      .sort();
    this.last = { seen, at: now, names };
    return [...names];
  }

  private async ownLinks(): Promise<Set<string>> {
    return parseProcNetDev(await readFile(this.options.procNetDev ?? "/proc/self/net/dev", "utf8"));
  }

  private async sockets(): Promise<string[]> {
    try {
      return await readdir(this.options.runDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }
}
