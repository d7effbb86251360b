// One node of a test fleet: a network namespace with a veth to the host (netns.ts), a real
// `wgfleet-agent` inside it listening on the namespace's underlay address, and the node's own secret
// file and state dir under the fleet dir. Interface names carry the namespace's unique name, because
// wireguard-go's sockets in /var/run/wireguard are shared by every namespace on the machine.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AgentClient, keyIdForSecret } from "@wgfleet/agent/client";
import { DEFAULT_RUN_DIR, PROBE_PREFIX } from "@wgfleet/wireguard";
import type { TestNamespace } from "../support/netns.js";
import { ManagedProcess, sleep } from "./managed-process.js";
import { installedBin, nodeBinary, type RunFrom, repoRoot } from "./run-from.js";

/** The agent's port inside every node namespace (each namespace has its own ports). */
export const AGENT_PORT = 7443;

export interface AgentSettings {
  runFrom: RunFrom;
  driftIntervalSeconds: number;
  extraArgs: string[];
  env: Record<string, string>;
  /** Test-only modules the agent loads first (`node --import tsx --import MODULE`). */
  imports: string[];
}

export interface StartAgentOptions {
  /** Delete the agent's state dir first: it starts knowing nothing (a rebuilt node). */
  wipeState?: boolean;
  /** Delete the node's WireGuard interfaces first (wireguard-go exits). Default: same as wipeState. */
  deleteInterfaces?: boolean;
  /** Extra environment for this start only (over the fleet's agentEnv), e.g. this node's clock file. */
  env?: Record<string, string>;
  /**
   * Start it as an agent that dials out: it listens only on its namespace's loopback (nothing outside
   * the namespace can call it) and keeps a connection to `dashboardUrl`; it counts as started once
   * `connected` resolves true (e.g. the dashboard lists the node online).
   */
  dialOut?: { dashboardUrl: string; connected: () => Promise<boolean> };
  /**
   * Start it from a settings file alone (`wgfleet-agent --config FILE`, as the packaged systemd unit
   * does), e.g. the one `joinAgent` wrote; it counts as started once `ready` resolves true.
   */
  fromConfig?: { file: string; ready: () => Promise<boolean> };
}

/** What `FleetNode.joinAgent` found: the exit status of a refused join (null: it joined and runs). */
export interface JoinAttempt {
  exitStatus: number | string | null;
  /** The settings file the join writes (and removes again when refused). */
  configFile: string;
  dir: string;
  log(): Promise<string>;
}

export class FleetNode {
  /** The dashboard's id for this node, once registerNodes() ran. */
  id: string | null = null;
  readonly secret = randomBytes(24).toString("hex");
  readonly keyId = keyIdForSecret(this.secret);
  private agent: ManagedProcess | null = null;

  constructor(
    /** 0-based position in `fleet.nodes`. */
    readonly index: number,
    readonly ns: TestNamespace,
    /** This node's folder: secret file, state dir, agent log. */
    readonly dir: string,
    private readonly settings: AgentSettings,
  ) {}

  /** "node1", "node2", ...: the name it is registered under. */
  get name(): string {
    return `node${this.index + 1}`;
  }

  /** The node's underlay address (in 198.18.0.0/16): the agent listens here, clients reach its WireGuard here. */
  get address(): string {
    return this.ns.nsAddress;
  }

  get agentUrl(): string {
    return `http://${this.address}:${AGENT_PORT}`;
  }

  get secretFile(): string {
    return join(this.dir, "secret");
  }

  get stateDir(): string {
    return join(this.dir, "state");
  }

  get logFile(): string {
    return join(this.dir, "agent.log");
  }

  get agentPid(): number | null {
    return this.agent?.running ? this.agent.pid : null;
  }

  get agentRunning(): boolean {
    return this.agent?.running === true;
  }

  /**
   * A WireGuard interface name unique on this machine: the namespace's unique name + "w" + k
   * (14 characters). Pass it as `interfaceName` when putting a configuration on this node.
   */
  interfaceName(k = 0): string {
    if (!Number.isInteger(k) || k < 0 || k > 9) throw new Error(`interface index ${k} must be 0-9`);
    return `${this.ns.name}w${k}`;
  }

  /** A client endpoint for an interface of this node listening on `port`. */
  endpoint(port: number): string {
    return `${this.address}:${port}`;
  }

  /** The signed agent client (the dashboard's own), with this node's secret. */
  agentClient(options: { timeoutMs?: number } = {}): AgentClient {
    return new AgentClient({ baseUrl: this.agentUrl, keyId: this.keyId, secret: this.secret, ...options });
  }

  /** Runs `wg ARGS` inside the node's namespace; stdout. */
  async wg(args: string[]): Promise<string> {
    return (await this.ns.exec("wg", args)).stdout;
  }

  async agentLog(chars = 4_000): Promise<string> {
    return this.agent?.logTail(chars) ?? "";
  }

  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(this.secretFile, `${this.secret}\n`, { mode: 0o600 });
  }

  /** Starts the agent and waits until `GET /livez` answers. */
  async startAgent(options: StartAgentOptions = {}): Promise<void> {
    if (this.agentRunning) throw new Error(`the agent of ${this.name} is already running`);
    if (options.deleteInterfaces ?? options.wipeState) await this.deleteInterfaces();
    if (options.wipeState) await rm(this.stateDir, { recursive: true, force: true });
    this.agent = ManagedProcess.start({
      label: `agent of ${this.name}`,
      command: "ip",
      args: [
        "netns",
        "exec",
        this.ns.name,
        nodeBinary(this.settings.runFrom),
        ...this.agentEntry(),
        ...(options.fromConfig
          ? ["--config", options.fromConfig.file]
          : this.agentArgs(options.dialOut?.dashboardUrl)),
      ],
      cwd: repoRoot,
      env: { ...process.env, ...this.settings.env, ...options.env },
      logFile: this.logFile,
    });
    const ready = options.fromConfig?.ready ?? options.dialOut?.connected ?? (() => this.live());
    await this.agent.waitReady(ready, 60_000);
  }

  /**
   * Starts this node's agent with `wgfleet-agent join` and nothing else: no secret file, a settings dir
   * of its own; it is this node's agent from then on (stopped with the fleet). Given a `port`, it runs
   * on the host's loopback and listens there (so it may reach the fleet's dashboard over plain HTTP) with
   * its WireGuard in the node's namespace (--netns). With `dialOut` it joins as an agent that dials out
   * (`join --dial-out`, no --listen): it runs inside the namespace, which nothing can call into, and
   * reaches the dashboard at `dashboardUrl` over the test underlay. Resolves once it exited (a refused
   * join) or `joined` says the dashboard knows the node.
   */
  async joinAgent(
    options: {
      dashboardUrl: string;
      token: string;
      name: string;
      /** Resolves true once the dashboard knows the node. */
      joined: () => Promise<boolean>;
    } & ({ port: number; dialOut?: never } | { dialOut: true; port?: never }),
  ): Promise<JoinAttempt> {
    if (this.agentRunning) throw new Error(`the agent of ${this.name} is already running`);
    const label = options.dialOut ? "dial-out" : String(options.port);
    const dir = join(this.dir, `join-${label}`);
    const configFile = join(dir, "agent.json");
    const carrier = options.dialOut
      ? ["--dial-out", "--dashboard-allow-http"]
      : ["--listen", `127.0.0.1:${options.port}`, "--netns", this.ns.name];
    const args = [
      "join",
      "--dashboard",
      options.dashboardUrl,
      "--token",
      options.token,
      "--name",
      options.name,
      ...carrier,
      "--endpoint",
      this.address,
      "--config",
      configFile,
      "--state-dir",
      join(dir, "state"),
      "--drift-interval-seconds",
      String(this.settings.driftIntervalSeconds),
    ];
    const entry = [...this.agentEntry(), ...args];
    const agent = ManagedProcess.start({
      label: `joining agent of ${this.name}`,
      command: options.dialOut ? "ip" : nodeBinary(this.settings.runFrom),
      args: options.dialOut
        ? ["netns", "exec", this.ns.name, nodeBinary(this.settings.runFrom), ...entry]
        : entry,
      cwd: repoRoot,
      env: { ...process.env, ...this.settings.env },
      logFile: join(this.dir, `join-${label}.log`),
    });
    this.agent = agent;
    const exited = agent.whenExited().then((status) => ({ exited: status }));
    const joined = (async () => {
      while (agent.running) {
        if (await options.joined().catch(() => false)) return { exited: null };
        await sleep(200);
      }
      return agent.whenExited().then((status) => ({ exited: status }));
    })();
    const outcome = await Promise.race([exited, joined]);
    return { exitStatus: outcome.exited, configFile, dir, log: () => agent.logTail(4_000) };
  }

  /** SIGTERM (SIGKILL after 5 s): WireGuard keeps running, as on a real node. */
  async stopAgent(): Promise<void> {
    await this.agent?.stop();
  }

  /** SIGKILL, as a crash. */
  async killAgent(): Promise<void> {
    await this.agent?.kill();
  }

  /** Deletes every WireGuard interface in the namespace and waits for its wireguard-go to go. */
  async deleteInterfaces(): Promise<string[]> {
    const names = await this.wireguardLinks();
    for (const name of names) await this.ns.exec("ip", ["link", "del", "dev", name]);
    const deadline = Date.now() + 10_000;
    while (names.some((name) => existsSync(join(DEFAULT_RUN_DIR, `${name}.sock`))) && Date.now() < deadline) {
      await sleep(50);
    }
    return names;
  }

  /**
   * Names of the WireGuard (wireguard-go: tun) links in the namespace, without the agent's short-lived
   * capability probe (it creates and deletes a `PROBE_PREFIX…` interface at start and every minute).
   */
  async wireguardLinks(): Promise<string[]> {
    const { stdout } = await this.ns.exec("ip", ["-j", "-d", "link", "show"]);
    const links = JSON.parse(stdout) as Array<{ ifname: string; linkinfo?: { info_kind?: string } }>;
    return links
      .filter((link) => link.linkinfo?.info_kind === "wireguard" || link.linkinfo?.info_kind === "tun")
      .map((link) => link.ifname)
      .filter((name) => !name.startsWith(PROBE_PREFIX));
  }

  private async live(): Promise<boolean> {
    const response = await fetch(`${this.agentUrl}/livez`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  }

  private agentEntry(): string[] {
    const tests = this.settings.imports.flatMap((module) => ["--import", module]);
    const loader =
      tests.length > 0 || this.settings.runFrom === "source" ? ["--import", "tsx", ...tests] : [];
    const runFrom = this.settings.runFrom;
    if (typeof runFrom === "object") return [...loader, installedBin(runFrom, "wgfleet-agent")];
    return runFrom === "build"
      ? [...loader, join(repoRoot, "packages/agent/bin/wgfleet-agent.js")]
      : [...loader, join(repoRoot, "packages/agent/src/main.ts")];
  }

  /** With a dashboard URL: an agent that dials out there (plain HTTP over the test underlay). */
  private agentArgs(dialOutTo?: string): string[] {
    const dialOut = dialOutTo ? ["--dashboard", dialOutTo, "--dashboard-allow-http"] : [];
    return [
      "--listen",
      dialOutTo ? `127.0.0.1:${AGENT_PORT}` : `${this.address}:${AGENT_PORT}`,
      ...dialOut,
      "--secret-file",
      this.secretFile,
      "--state-dir",
      this.stateDir,
      "--drift-interval-seconds",
      String(this.settings.driftIntervalSeconds),
      ...this.settings.extraArgs,
    ];
  }
}
