// The demo's fleet (`npm run demo`, and the browser test that signs in to it): three nodes, the
// dashboard, a configuration on all three nodes, a few peers, and two client namespaces pinging
// through their tunnels so handshakes and traffic show. Every step is real; a step that fails says
// which and why, and what depends on it is skipped — the fleet stays up either way.
import { randomBytes } from "node:crypto";
import { cidrContains, firstUsable, formatAddress, parseAddress, parseCidr } from "@wgfleet/core";
import { eventually, type Fleet, type FleetClient, type RunFrom, startFleet } from "./harness.js";

export const DEMO_PREFIX = "wfd";
export const DEMO_CONFIGURATION = "demo";
const LISTEN_PORT = 51820;
const POOLS = ["198.51.100.0/26", "198.51.100.64/26", "198.51.100.128/26"];
const PEER_NAMES = ["laptop", "phone", "tablet", "build-server", "nas", "printer"];

export interface DemoPeer {
  id: string;
  name: string;
  node: string;
  addresses: string[];
}

interface Step {
  id: string;
  title: string;
  needs: string[];
  run(): Promise<string | undefined>;
}

export interface StepResult {
  title: string;
  outcome: "ok" | "failed" | "skipped";
  detail: string;
}

export class Demo {
  readonly results: StepResult[] = [];
  readonly peers: DemoPeer[] = [];
  readonly clients: Array<{ client: FleetClient; peer: DemoPeer; gateway: string }> = [];

  constructor(
    readonly fleet: Fleet,
    private readonly print: (line: string) => void,
  ) {}

  get allDone(): boolean {
    return this.results.length > 0 && this.results.every((result) => result.outcome === "ok");
  }

  steps(): Step[] {
    return [
      { id: "agents", title: "agents answer a signed health call", needs: [], run: () => this.checkAgents() },
      {
        id: "nodes",
        title: "register the 3 nodes (POST /api/v1/nodes)",
        needs: [],
        run: () => this.registerNodes(),
      },
      {
        id: "online",
        title: "nodes come online (health polling)",
        needs: ["nodes"],
        run: () => this.waitOnline(),
      },
      {
        id: "configuration",
        title: `create configuration "${DEMO_CONFIGURATION}" (POST /api/v1/configurations)`,
        needs: [],
        run: () => this.createConfiguration(),
      },
      {
        id: "interfaces",
        title: `put "${DEMO_CONFIGURATION}" on every node (POST /api/v1/configurations/${DEMO_CONFIGURATION}/interfaces)`,
        needs: ["nodes", "configuration"],
        run: () => this.putOnNodes(),
      },
      {
        id: "peers",
        title: `create ${PEER_NAMES.length} peers with node "auto"`,
        needs: ["interfaces"],
        run: () => this.createPeers(),
      },
      {
        id: "clients",
        title: "connect 2 clients with their downloaded configs (wg-quick) and ping through the tunnels",
        needs: ["peers"],
        run: () => this.connectClients(),
      },
    ];
  }

  /** Runs every step in order; true when all of them worked. */
  async run(): Promise<boolean> {
    const steps = this.steps();
    const done = new Set<string>();
    for (const step of steps) {
      const missing = step.needs.filter((id) => !done.has(id));
      if (missing.length > 0) {
        const titles = missing.map((id) => steps.find((other) => other.id === id)?.title ?? id);
        this.record(step.title, "skipped", `needs: ${titles.join("; ")}`);
        continue;
      }
      try {
        this.record(step.title, "ok", (await step.run()) ?? "");
        done.add(step.id);
      } catch (error) {
        this.record(step.title, "failed", explain(error));
      }
    }
    return this.allDone;
  }

  private record(title: string, outcome: StepResult["outcome"], detail: string): void {
    this.results.push({ title, outcome, detail });
    const mark = { ok: "✓", failed: "✗", skipped: "-" }[outcome];
    this.print(`${mark} ${title}${detail ? `\n    ${detail.replaceAll("\n", "\n    ")}` : ""}`);
  }

  private async checkAgents(): Promise<string> {
    const lines: string[] = [];
    for (const node of this.fleet.nodes) {
      const health = await node.agentClient().health();
      lines.push(
        `${node.name} ${node.agentUrl}: wgfleet-agent ${health.version}, protocol ${health.protocol}`,
      );
    }
    return lines.join("\n");
  }

  private async createConfiguration(): Promise<string> {
    await this.fleet.api.expect("POST", "/api/v1/configurations", {
      name: DEMO_CONFIGURATION,
      description: "the wgfleet demo: one network served by three nodes",
      clientAllowedIps: ["198.51.100.0/24"],
      keepalive: 25,
    });
    return "client AllowedIPs 198.51.100.0/24, keepalive 25 s";
  }

  private async registerNodes(): Promise<string> {
    await this.fleet.registerNodes();
    return this.fleet.nodes.map((node) => `${node.name} → ${node.id}`).join(", ");
  }

  private async waitOnline(): Promise<string> {
    await eventually(
      async () => {
        const statuses = await Promise.all(this.fleet.nodes.map((node) => this.fleet.nodeStatus(node)));
        return statuses.every((status) => status === "online") ? statuses : null;
      },
      "all three nodes online",
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    return "node1, node2, node3: online";
  }

  private async putOnNodes(): Promise<string> {
    const lines: string[] = [];
    for (const [i, node] of this.fleet.nodes.entries()) {
      const pool = POOLS[i] as string;
      await this.fleet.api.expect("POST", `/api/v1/configurations/${DEMO_CONFIGURATION}/interfaces`, {
        nodeId: node.id,
        listenPort: LISTEN_PORT,
        pool,
        endpoint: node.endpoint(LISTEN_PORT),
        interfaceName: node.interfaceName(0),
      });
      lines.push(`${node.name}: ${node.interfaceName(0)} on ${node.endpoint(LISTEN_PORT)}, pool ${pool}`);
    }
    return lines.join("\n");
  }

  private async createPeers(): Promise<string> {
    for (const name of PEER_NAMES) {
      const created = await this.fleet.api.expect<DemoPeer>(
        "POST",
        `/api/v1/configurations/${DEMO_CONFIGURATION}/peers`,
        {
          name,
          node: "auto",
        },
      );
      this.peers.push(created.json);
    }
    return this.peers
      .map((peer) => `${peer.name} ${peer.addresses.join(",")} on ${this.nodeName(peer.node)}`)
      .join("\n");
  }

  /** Two peers on different nodes when the placement allows it. */
  private async connectClients(): Promise<string> {
    const [first, ...rest] = this.peers;
    if (!first) throw new Error("no peer to connect");
    const second = rest.find((peer) => peer.node !== first.node) ?? rest[0];
    const lines: string[] = [];
    for (const peer of second ? [first, second] : [first]) {
      const client = await this.fleet.createClient(peer.id);
      const gateway = gatewayOf(client.address);
      if (!(await client.ping(gateway, { count: 1, timeoutSec: 5 }))) {
        throw new Error(
          `client of ${peer.name} (${client.address}) cannot ping its gateway ${gateway} through the tunnel`,
        );
      }
      await client.startPingLoop(gateway, { intervalSec: 2, count: 1_800 });
      this.clients.push({ client, peer, gateway });
      lines.push(
        `${peer.name}: namespace ${client.ns.name}, ${client.address} via ${this.nodeName(peer.node)}, pinging ${gateway} every 2 s (1 hour at most)`,
      );
    }
    return lines.join("\n");
  }

  private nodeName(id: string): string {
    return this.fleet.nodes.find((node) => node.id === id)?.name ?? id;
  }
}

/** The node's own address in the /26 pool a client address falls into. */
function gatewayOf(clientAddress: string): string {
  const address = parseAddress(clientAddress);
  const pool = POOLS.map((text) => parseCidr(text)).find((cidr) => cidrContains(cidr, address));
  if (!pool) throw new Error(`client address ${clientAddress} is in none of the demo pools`);
  return formatAddress(firstUsable(pool));
}

function explain(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The URL, the login, the nodes and the clients, for a person to look at. */
export function demoSummary(demo: Demo): string[] {
  const fleet = demo.fleet;
  const dashboard = fleet.dashboard;
  if (!dashboard) return [];
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  const ok = demo.results.filter((result) => result.outcome === "ok").length;
  const rule = "=".repeat(78);
  print(rule);
  print(`wgfleet demo: ${ok} of ${demo.results.length} steps done`);
  print(`  dashboard   ${dashboard.url}/`);
  print(`  login       ${dashboard.adminUser} / ${dashboard.adminPassword}`);
  for (const node of fleet.nodes) {
    print(`  ${node.name.padEnd(11)} agent ${node.agentUrl}; try: ip netns exec ${node.ns.name} wg show`);
  }
  for (const { client, peer, gateway } of demo.clients) {
    print(
      `  client      ${peer.name} in namespace ${client.ns.name}: ping ${gateway} (tunnel ${client.interfaceName})`,
    );
  }
  print(`  logs        ${fleet.dir}`);
  print(rule);
  return lines;
}

export interface DemoOptions {
  /** HOST:PORT of the dashboard; default 127.0.0.1:10086. */
  listen?: string;
  adminUser?: string;
  adminPassword?: string;
  runFrom?: RunFrom;
  prefix?: string;
  /** Progress and step lines; silent by default. */
  print?: (line: string) => void;
}

/** Starts the demo fleet and runs the steps; the fleet keeps running (stop it with demo.fleet.stop()). */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const print = options.print ?? (() => {});
  const fleet = await startFleet({
    nodes: 3,
    prefix: options.prefix ?? DEMO_PREFIX,
    dashboard: {
      listen: options.listen ?? "127.0.0.1:10086",
      adminUser: options.adminUser ?? "admin",
      adminPassword: options.adminPassword ?? `demo-${randomBytes(6).toString("hex")}`,
    },
    ...(options.runFrom ? { runFrom: options.runFrom } : {}),
    log: (line) => print(`  ${line}`),
  });
  try {
    const demo = new Demo(fleet, print);
    await demo.run();
    return demo;
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}
