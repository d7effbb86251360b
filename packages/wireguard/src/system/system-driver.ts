// The WireGuardDriver that drives this machine's WireGuard: the only code that runs `wg`, `wg-quick`
// and `ip` (argument arrays, never a shell string) or talks to wireguard-go's UAPI socket. Keys go
// through 0600 files, stdin or the socket, never argv, logs or error messages.
import { randomBytes } from "node:crypto";
import { ConflictError, type InterfaceSpec, type PeerSpec, publicKeyFromPrivate } from "@wgfleet/core";
import type { LiveConfig, LiveInterface, WireGuardDriver } from "../driver.js";
import { CommandError } from "../errors.js";
import { type Logger, silentLogger } from "../logger.js";
import { processRuns } from "../process-runs.js";
import { DEFAULT_RUN_DIR, UapiSockets, uapiGet, uapiSet } from "../uapi/uapi-client.js";
import { isSocketGone, type UapiConnection } from "../uapi/uapi-connection.js";
import { isLiteralEndpoint, keyFromHex, keyToHex, peerRemoveLines, peerSetLines } from "../uapi/uapi-text.js";
import { runHooks } from "./hooks.js";
import { InterfaceListing } from "./interface-listing.js";
import { withKeyFiles } from "./key-files.js";
import {
  deleteLink,
  type LinkState,
  listLinkNames,
  readAddresses,
  readLink,
  syncAddresses,
  syncLink,
} from "./links.js";
import { createRunner, type Runner } from "./runner.js";
import { SysfsLinks } from "./sysfs-links.js";
import { parseWgDump, parseWgDumpConfig } from "./wg-dump.js";
import {
  chunk,
  renderPeersConf,
  WG_REMOVE_CHUNK,
  WG_SET_MAX_PEERS,
  wgRemovePeerArgs,
  wgSetPeerArgs,
} from "./wg-peer-args.js";
import { findWireGuardGo, startWireGuardGo, waitForExit } from "./wireguard-go.js";

export interface SystemWireGuardDriverOptions {
  /** Run every command via `ip netns exec NS` (tests, and hosts that keep WireGuard in a namespace). */
  netns?: string;
  /** Where wireguard-go keeps its UAPI sockets. Default /var/run/wireguard. */
  runDir?: string;
  logger?: Logger;
  /**
   * Talk to wireguard-go over its UAPI socket when the interface is userspace (default true): no
   * process per call. false forces `wg` for everything (both paths are tested).
   */
  useUapi?: boolean;
  /** Run an interface spec's PreUp/PostUp/PreDown/PostDown hooks (default false: hooks are ignored). */
  allowHooks?: boolean;
  /** Per-command timeout. Default 15 s. */
  commandTimeoutMs?: number;
  /** Parent folder of the private temporary folders for key files. Default os.tmpdir(). */
  tempDir?: string;
}

/** Interfaces the capability probe makes are named this, the prober's pid in base 36, "_" and a hex digit (15 at most). */
export const PROBE_PREFIX = "wgfprobe";

/** Which way the driver reached an interface: "uapi" (wireguard-go socket) or "wg" (the tool). */
export type ControlPath = "uapi" | "wg";

export class SystemWireGuardDriver implements WireGuardDriver {
  readonly netns: string | undefined;
  readonly runDir: string;
  private readonly logger: Logger;
  private readonly run: Runner;
  private readonly useUapi: boolean;
  private readonly allowHooks: boolean;
  private readonly tempDir: string | undefined;
  private readonly sockets: UapiSockets;
  /** Each link as `ip` last showed it, so later reads can take its state from sysfs (sysfs-links.ts). */
  private readonly linksSeen = new Map<string, LinkState>();
  private readonly sysfs = new SysfsLinks();
  /** In the process's own namespace: `wg show interfaces` only when a link or socket came or went. */
  private readonly listing: InterfaceListing | null;

  constructor(options: SystemWireGuardDriverOptions = {}) {
    this.netns = options.netns;
    this.runDir = options.runDir ?? DEFAULT_RUN_DIR;
    this.logger = options.logger ?? silentLogger;
    this.useUapi = options.useUapi ?? true;
    this.allowHooks = options.allowHooks ?? false;
    this.tempDir = options.tempDir;
    this.sockets = new UapiSockets(this.runDir);
    this.run = createRunner(this.netns, this.logger, options.commandTimeoutMs);
    this.listing =
      this.netns === undefined
        ? new InterfaceListing({
            wgShowInterfaces: () => this.wgShowInterfaces(),
            runDir: this.runDir,
            ignore: (name) => name.startsWith(PROBE_PREFIX),
          })
        : null;
  }

  async ensureInterface(spec: InterfaceSpec): Promise<void> {
    const { name } = spec;
    let link = await readLink(this.run, name);
    const created = link === null;
    if (link === null) {
      await this.hooks(spec, "preUp");
      link = await this.createLink(name);
    }
    assertWireGuardLink(name, link);
    await this.syncKeyAndPort(spec);
    await syncAddresses(this.run, name, spec.addresses);
    await syncLink(this.run, name, link, spec.mtu);
    if (created) await this.hooks(spec, "postUp");
    this.logger.info({ interface: name, created, netns: this.netns }, "interface ensured");
  }

  async removeInterface(name: string, spec?: InterfaceSpec): Promise<void> {
    const pids = await findWireGuardGo((n) => n === name, this.netns);
    if (spec) await this.hooks(spec, "preDown");
    const deleted = await deleteLink(this.run, name);
    this.sockets.forget(name);
    this.linksSeen.delete(name);
    // wireguard-go exits when its TUN device goes; wait for it so nothing is left behind.
    if (deleted) await waitForExit(pids);
    if (spec && deleted) await this.hooks(spec, "postDown");
    this.logger.info({ interface: name, deleted, netns: this.netns }, "interface removed");
  }

  /**
   * Whether this process can serve, found by trying: creates a short-lived WireGuard interface with a
   * unique name (kernel module or wireguard-go, as for a real one), reads it back through the same
   * control path, and deletes it — always, also on failure. Null when all of that worked; otherwise
   * the system's own reason (e.g. "Operation not permitted" without CAP_NET_ADMIN).
   */
  async probeCapability(): Promise<string | null> {
    // The name carries the prober's pid, so a probe cut short by a kill is removed by the next one.
    const name = `${PROBE_PREFIX}${process.pid.toString(36)}_${randomBytes(1).toString("hex").slice(1)}`;
    await this.removeDeadProbes().catch(() => {});
    try {
      await this.createLink(name);
      if ((await this.readInterface(name)) === null) return "a test interface could not be read back";
      return null;
    } catch (error) {
      return `cannot create a WireGuard interface (this needs root or CAP_NET_ADMIN): ${(error as Error).message}`;
    } finally {
      await this.removeInterface(name).catch((error: Error) =>
        this.logger.warn({ interface: name, err: { message: error.message } }, "probe interface not removed"),
      );
    }
  }

  /** Probe interfaces (in this namespace) whose process no longer runs. */
  private async removeDeadProbes(): Promise<void> {
    for (const link of await listLinkNames(this.run)) {
      const pid = /^wgfprobe([0-9a-z]+)_[0-9a-f]$/.exec(link)?.[1];
      if (pid !== undefined && !processRuns(Number.parseInt(pid, 36))) await this.removeInterface(link);
    }
  }

  async listInterfaces(): Promise<string[]> {
    if (this.listing) return this.listing.list();
    // Commands run in another namespace (`netns`): its links come from `ip` there. The UAPI socket
    // folder is shared by every namespace: keep only links that exist in that one. A capability probe
    // in flight is nobody's interface.
    const names = await this.wgShowInterfaces();
    const links = await listLinkNames(this.run);
    return names.filter((n) => links.has(n) && !n.startsWith(PROBE_PREFIX)).sort();
  }

  private async wgShowInterfaces(): Promise<string[]> {
    const { stdout } = await this.run("wg", ["show", "interfaces"]);
    return stdout.split(/\s+/).filter((n) => n.length > 0);
  }

  async setPeers(name: string, peers: PeerSpec[]): Promise<void> {
    if (peers.length === 0) return;
    await this.viaControlPath(
      name,
      async (socket) => {
        const literal = peers.filter((p) => !p.endpoint || isLiteralEndpoint(p.endpoint));
        if (literal.length > 0) await uapiSet(socket, literal.flatMap(peerSetLines));
        // wireguard-go does not resolve DNS names: peers with a hostname endpoint go through `wg`.
        const named = peers.filter((p) => p.endpoint && !isLiteralEndpoint(p.endpoint));
        if (named.length > 0) await this.setPeersWithWg(name, named);
      },
      () => this.setPeersWithWg(name, peers),
    );
    this.logger.debug({ interface: name, peers: peers.length }, "peers set");
  }

  async removePeers(name: string, publicKeys: string[]): Promise<void> {
    if (publicKeys.length === 0) return;
    await this.viaControlPath(
      name,
      (socket) => uapiSet(socket, publicKeys.flatMap(peerRemoveLines)),
      async () => {
        for (const keys of chunk(publicKeys, WG_REMOVE_CHUNK)) {
          await this.run("wg", ["set", name, ...wgRemovePeerArgs(keys)]);
        }
      },
    );
    this.logger.debug({ interface: name, peers: publicKeys.length }, "peers removed");
  }

  async readInterface(name: string): Promise<LiveInterface | null> {
    const up = await this.readLinkUp(name);
    return up === null ? null : this.readDevice(name, up);
  }

  async readLinkUp(name: string): Promise<boolean | null> {
    return (await this.readLinkState(name))?.up ?? null;
  }

  readDevice(name: string, up: boolean): Promise<LiveInterface> {
    return this.viaControlPath<LiveInterface>(
      name,
      async (socket) => {
        const device = await uapiGet(socket);
        const publicKey = device.privateKeyHex ? publicKeyFromPrivate(keyFromHex(device.privateKeyHex)) : "";
        return { name, publicKey, listenPort: device.listenPort, up, peers: device.peers };
      },
      async () => {
        const { stdout } = await this.run("wg", ["show", name, "dump"]);
        return parseWgDump(name, stdout, up);
      },
    );
  }

  /** Always through `wg` (kernel module and wireguard-go alike): one read, nothing changed. */
  async readConfig(name: string): Promise<LiveConfig | null> {
    const link = await readLink(this.run, name);
    if (link === null) return null;
    const { stdout } = await this.run("wg", ["show", name, "dump"]);
    const dump = parseWgDumpConfig(name, stdout);
    const addresses = await readAddresses(this.run, name);
    return {
      interface: {
        name,
        privateKey: dump.privateKey,
        listenPort: dump.listenPort,
        addresses,
        ...(link.mtu ? { mtu: link.mtu } : {}),
      },
      peers: dump.peers,
    };
  }

  /** "uapi" when the interface is wireguard-go's and UAPI is enabled, else "wg". */
  async controlPath(name: string): Promise<ControlPath> {
    return (await this.uapiSocket(name)) === null ? "wg" : "uapi";
  }

  /** The interface's UAPI socket (remembered once found) when UAPI is enabled and wireguard-go serves it. */
  private uapiSocket(name: string): Promise<UapiConnection | null> {
    return this.useUapi ? this.sockets.resolve(name) : Promise.resolve(null);
  }

  /**
   * Runs `uapi` over the interface's socket when wireguard-go serves it, else `wg`. A remembered socket
   * that turns out gone (wireguard-go exited or was replaced) is forgotten and the choice made once
   * more, so a stale path never changes the outcome; the failure happens at connect, before any request.
   */
  private async viaControlPath<T>(
    name: string,
    uapi: (socket: UapiConnection) => Promise<T>,
    wg: () => Promise<T>,
    mayRetry = true,
  ): Promise<T> {
    const remembered = this.sockets.isCached(name);
    const socket = await this.uapiSocket(name);
    if (socket === null) return wg();
    try {
      return await uapi(socket);
    } catch (error) {
      if (!isSocketGone(error)) throw error;
      this.sockets.forget(name);
      if (!remembered || !mayRetry) throw error;
      return this.viaControlPath(name, uapi, wg, false);
    }
  }

  /**
   * The link's state for reads that change nothing (health, stats): from sysfs for a link `ip` showed
   * before, when sysfs is this process's namespace's (never with `netns`: the commands run elsewhere);
   * from `ip` otherwise, and its answer remembered.
   */
  private async readLinkState(name: string): Promise<LinkState | null> {
    const seen = this.netns === undefined ? this.linksSeen.get(name) : undefined;
    if (seen !== undefined) {
      const current = await this.sysfs.read(name, seen.ifindex);
      if (current !== undefined) {
        if (current === null) this.linksSeen.delete(name);
        return current && { ...seen, ...current };
      }
    }
    const link = await readLink(this.run, name);
    if (link === null) this.linksSeen.delete(name);
    else this.linksSeen.set(name, link);
    return link;
  }

  /** Kernel module first; wireguard-go when the kernel does not know the link type. */
  private async createLink(name: string): Promise<LinkState> {
    this.sockets.forget(name);
    this.linksSeen.delete(name);
    try {
      await this.run("ip", ["link", "add", "dev", name, "type", "wireguard"], {
        expectedFailure: isUnsupportedLinkType,
      });
    } catch (error) {
      if (!isUnsupportedLinkType(error)) throw error;
      this.logger.info({ interface: name }, "no WireGuard kernel module: starting wireguard-go");
      await startWireGuardGo(this.run, name);
    }
    const link = await readLink(this.run, name);
    if (link === null) throw new ConflictError(`interface ${name} vanished right after it was created`);
    return link;
  }

  /** Sets private key and listen port only when they differ, so live tunnels are not rebound. */
  private async syncKeyAndPort(spec: InterfaceSpec): Promise<void> {
    const { name } = spec;
    await this.viaControlPath(
      name,
      (socket) => this.syncKeyAndPortWithUapi(socket, spec),
      () => this.syncKeyAndPortWithWg(spec),
    );
  }

  private async syncKeyAndPortWithUapi(socket: UapiConnection, spec: InterfaceSpec): Promise<void> {
    const { privateKey, listenPort } = spec;
    const device = await uapiGet(socket);
    const lines: string[] = [];
    if (device.privateKeyHex !== keyToHex(privateKey)) lines.push(`private_key=${keyToHex(privateKey)}`);
    if (device.listenPort !== listenPort) lines.push(`listen_port=${listenPort}`);
    if (lines.length > 0) await uapiSet(socket, lines);
  }

  private async syncKeyAndPortWithWg(spec: InterfaceSpec): Promise<void> {
    const { name, privateKey, listenPort } = spec;
    const { stdout } = await this.run("wg", ["show", name, "dump"]);
    const [livePrivate, , livePort] = (stdout.split("\n")[0] ?? "").split("\t");
    const args = ["set", name];
    await withKeyFiles(async (files) => {
      if (livePrivate !== privateKey) args.push("private-key", await files.write(`${privateKey}\n`));
      if (Number(livePort) !== listenPort) args.push("listen-port", String(listenPort));
      if (args.length > 2) await this.run("wg", args);
    }, this.tempDir);
  }

  private async setPeersWithWg(name: string, peers: PeerSpec[]): Promise<void> {
    await withKeyFiles(async (files) => {
      if (peers.length > WG_SET_MAX_PEERS) {
        const path = await files.write(renderPeersConf(peers), "peers.conf");
        await this.run("wg", ["addconf", name, path]);
        return;
      }
      const pskPaths = new Map<string, string>();
      for (const peer of peers) {
        if (peer.presharedKey && !pskPaths.has(peer.presharedKey)) {
          pskPaths.set(peer.presharedKey, await files.write(`${peer.presharedKey}\n`));
        }
      }
      const pskFile = (peer: PeerSpec) =>
        peer.presharedKey ? (pskPaths.get(peer.presharedKey) as string) : "/dev/null";
      await this.run("wg", ["set", name, ...wgSetPeerArgs(peers, pskFile)]);
    }, this.tempDir);
  }

  private async hooks(spec: InterfaceSpec, phase: "preUp" | "postUp" | "preDown" | "postDown") {
    const commands = spec.hooks?.[phase] ?? [];
    if (commands.length === 0) return;
    if (!this.allowHooks) {
      this.logger.warn({ interface: spec.name, phase }, "hooks are disabled: skipped");
      return;
    }
    await runHooks(this.run, spec.name, commands);
  }
}

function isUnsupportedLinkType(error: unknown): boolean {
  return error instanceof CommandError && /unknown device type|not supported/i.test(error.stderr);
}

function assertWireGuardLink(name: string, link: LinkState): void {
  if (link.kind === "wireguard" || link.kind === "tun") return;
  throw new ConflictError(
    `interface ${name} exists and is not a WireGuard interface (${link.kind ?? "unknown type"})`,
  );
}
