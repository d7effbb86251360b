// A WireGuard client of the fleet: its own namespace (veth to the host on 198.18.0.0/16) with the
// config the dashboard handed out brought up by `wg-quick` (netns.ts bringUpClient), so tests and the
// demo can ping through the tunnel exactly as a user's machine would.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { parseWgQuick } from "@wgfleet/core";
import { ping, type TestNamespace } from "../support/netns.js";
import { ManagedProcess } from "./managed-process.js";
import { repoRoot } from "./run-from.js";

export interface PingLoopOptions {
  /** Seconds between pings; default 1. */
  intervalSec?: number;
  /** How many pings before the loop ends by itself; default 600. */
  count?: number;
}

export class FleetClient {
  private readonly loops: ManagedProcess[] = [];

  constructor(
    readonly ns: TestNamespace,
    /** The wg-quick interface in the client's namespace (unique on the machine). */
    readonly interfaceName: string,
    readonly configText: string,
    /** This client's folder under the fleet dir (ping loop logs). */
    readonly dir: string,
    /** The peer id the config was downloaded for, when it came from the dashboard. */
    readonly peerId: string | null,
  ) {}

  /** The tunnel addresses of the config's [Interface], as written ("198.51.100.66/32"). */
  get addresses(): string[] {
    return parseWgQuick(this.configText).interface.addresses;
  }

  /** The first tunnel address without its prefix length. */
  get address(): string {
    const first = this.addresses[0];
    if (!first) throw new Error("the client config has no Address");
    return first.split("/")[0] as string;
  }

  /** The endpoint of the config's first peer (the node's WireGuard: "198.18.0.6:51820"). */
  get endpoint(): string | null {
    return parseWgQuick(this.configText).peers[0]?.endpoint ?? null;
  }

  /** True when `address` answers through the client's namespace (the tunnel, for tunnel addresses). */
  ping(address: string, options: { count?: number; timeoutSec?: number } = {}): Promise<boolean> {
    return ping(this.ns, address, options);
  }

  /** A bounded background `ping` to `address` (handshakes and bytes to look at); stopped by destroy(). */
  async startPingLoop(address: string, options: PingLoopOptions = {}): Promise<ManagedProcess> {
    await mkdir(this.dir, { recursive: true });
    const loop = ManagedProcess.start({
      label: `ping loop in ${this.ns.name}`,
      command: "ip",
      args: [
        "netns",
        "exec",
        this.ns.name,
        "ping",
        "-n",
        "-i",
        String(options.intervalSec ?? 1),
        "-c",
        String(options.count ?? 600),
        address,
      ],
      cwd: repoRoot,
      env: { ...process.env },
      logFile: join(this.dir, `ping-${address}.log`),
    });
    this.loops.push(loop);
    return loop;
  }

  /** Stops the ping loops, then removes the namespace (wg-quick's interface and wireguard-go with it). */
  async destroy(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop(1_000)));
    await this.ns.destroy();
  }
}
