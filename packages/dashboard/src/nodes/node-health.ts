// Health polling of remote nodes: every enabled node at once, each call with a timeout. A node that
// answers is `online`, or `degraded` when it reports apply errors or stray peers, answers slowly twice
// in a row, or its clock is off; after N failures in a row it is `offline`. Each answer is stored (last
// health, last seen). The answer also says what each interface's desired state is (revision, digest):
// when it differs from the database's (agent restarted with an old state, node rebuilt with an empty
// state dir), the full desired state is pushed once the same difference is seen on two polls in a row
// (a change in flight explains a first sighting, and a node that just came back is given one interval
// to settle). Peers left `pending` longer than any creation can take are settled. A node where another
// agent answers (agent-identity.ts) is degraded and left alone: nothing is pushed to it. The peers the
// node reports it keeps off the kernel (expired, outside their schedule, over quota) are brought into
// the peers' rows.
import {
  digestInterfaceState,
  type Health,
  type InterfaceHealth,
  LOCAL_NODE_ID,
  WgFleetError,
} from "@wgfleet/core";
import type { InterfaceRow } from "../interfaces/interface.repository.js";
import type { BackgroundJob } from "../startup/background-job.js";
import { NodeAgentError } from "../transport/agent-errors.js";
import type { NodeHealthReport } from "../transport/node-transport.js";
import { scrubKeys } from "../transport/scrub-keys.js";
import type { NodeRow, NodeStatus } from "./node.repository.js";
import { publishDriftRepairs, publishStatusChange } from "./node-events.js";
import type { NodeHealthDeps } from "./node-health.ports.js";

export interface HealthRoundReport {
  nodes: number;
  online: number;
  degraded: number;
  failed: number;
  pushed: number;
}

export interface NodeCheck {
  status: NodeStatus;
  reachable: boolean;
  pushed: number;
  /** Why no change may reach the node (a different agent answers there), if so. */
  blocked?: string;
}

export class NodeHealthMonitor {
  /** Interface id → the database revision at which its node was last seen differing. */
  private readonly differenceSeen = new Map<string, number>();
  /** Interface id → the digest of the database's desired state at a revision. */
  private readonly digests = new Map<string, { revision: number; digest: string }>();
  /** Node id → slow answers in a row. */
  private readonly slowStreak = new Map<string, number>();
  /** Node id → its check in progress (the poller starts no second one). */
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: NodeHealthDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Starts polling: every `healthIntervalMs` each enabled node whose previous check has finished is
   * asked again, so a hanging node (its calls run into the timeout) never delays the others. stop()
   * waits for the checks in flight.
   */
  startPoller(): BackgroundJob {
    const tick = () => {
      if (this.stopped) return;
      this.deps.remote
        .refresh()
        .then((rows) => {
          for (const row of rows) if (Number(row.enabled) === 1) this.track(row);
        })
        .catch((error: Error) =>
          this.deps.logger.warn(
            { job: "node-health", err: { message: error.message } },
            "background job failed",
          ),
        );
    };
    this.stopped = false;
    const timer = setInterval(tick, this.deps.settings.healthIntervalMs);
    timer.unref();
    return {
      name: "node-health",
      stop: async () => {
        this.stopped = true;
        clearInterval(timer);
        await Promise.allSettled([...this.inFlight.values()]);
      },
    };
  }

  /** Checks one node unless a check of it is still running. */
  private track(row: NodeRow): void {
    if (this.inFlight.has(row.id)) return;
    const check = this.checkNode(row)
      .then(() => undefined)
      .catch((error: Error) => {
        this.deps.logger.warn({ node: row.id, err: { message: error.message } }, "node health check failed");
      })
      .finally(() => this.inFlight.delete(row.id));
    this.inFlight.set(row.id, check);
  }

  /** One round, awaited: the registry brought in line with the table, then every enabled node at once. */
  async pollOnce(): Promise<HealthRoundReport> {
    const rows = (await this.deps.remote.refresh()).filter((row) => Number(row.enabled) === 1);
    const checks = await Promise.all(rows.map((row) => this.checkNode(row)));
    return {
      nodes: rows.length,
      online: checks.filter((c) => c.status === "online").length,
      degraded: checks.filter((c) => c.status === "degraded").length,
      failed: checks.filter((c) => !c.reachable).length,
      pushed: checks.reduce((sum, c) => sum + c.pushed, 0),
    };
  }

  /**
   * At start, before the server listens: every remote node registered; each one that answers has its
   * crashed creations settled (all of them: no creation of this process is in flight yet) and every
   * interface's full desired state pushed.
   */
  async startUp(): Promise<void> {
    const rows = await this.deps.remote.refresh();
    await Promise.all(
      rows.map(async (row) => {
        // A disabled node is not polled (its status stays as it was), but is synchronised if it answers.
        const reachable =
          Number(row.enabled) === 1
            ? isWritable(await this.checkNode(row, { repair: false }))
            : await this.answers(row);
        if (reachable) await this.deps.nodeSync.syncNode(row.id);
      }),
    );
  }

  /** Whether the node's own agent answers a health call now (nothing recorded). */
  private async answers(row: NodeRow): Promise<boolean> {
    const transport = this.deps.remote.register(row);
    if (!transport) return false;
    return transport.health({ retry: false }).then(
      async (timed) => (await this.deps.identity.check(row, timed.health.instanceId)) === null,
      () => false,
    );
  }

  /** Asks one node for its health now and records what it said (also after create and edit). */
  async checkNode(row: NodeRow, options: { repair?: boolean } = {}): Promise<NodeCheck> {
    if (row.id === LOCAL_NODE_ID) return { status: row.status, reachable: true, pushed: 0 };
    const transport = this.deps.remote.register(row);
    if (!transport) {
      const reason = "its secret cannot be decrypted (was the dashboard's at-rest key changed?)";
      await this.deps.nodes.setStatus(row.id, "unavailable", reason);
      return { status: "unavailable", reachable: false, pushed: 0 };
    }
    let timed: NodeHealthReport;
    try {
      // The stats poller reads the node's peers on the same tick: the agent may answer both from one read.
      timed = await transport.health({ retry: false, shared: true });
    } catch (error) {
      // The agent answered but could not compute its health: not `online`, whatever the count says.
      if (error instanceof NodeAgentError && error.agentStatus >= 500)
        return this.recordUnhealthy(row, error);
      return this.recordFailure(row, error);
    }
    const stranger = await this.deps.identity.check(row, timed.health.instanceId);
    if (stranger) return this.recordStranger(row, timed, stranger);
    await this.syncSuspensions(row, timed.health);
    const interfaces = await this.deps.interfaces.listByNode(row.id);
    const repair =
      options.repair === false
        ? { pushed: 0, problems: [] }
        : await this.bringInLine(row, timed.health, interfaces);
    const problems = [...this.problemsOf(row, timed, interfaces), ...repair.problems];
    const status: NodeStatus = problems.length > 0 ? "degraded" : "online";
    await this.deps.nodes.recordHealth(row.id, {
      status,
      reason: problems.length > 0 ? problems.join("; ") : null,
      health: JSON.stringify(timed.health),
      seenAt: new Date(this.now()).toISOString(),
    });
    if (status !== row.status) {
      this.deps.logger.info(
        { node: row.id, name: row.name, from: row.status, to: status, problems },
        "node status changed",
      );
    }
    await this.observeDrift(row, timed.health);
    await publishDriftRepairs(this.deps.events, row, timed.health);
    await publishStatusChange(
      this.deps.events,
      row,
      status,
      problems.length > 0 ? problems.join("; ") : null,
    );
    return { status, reachable: true, pushed: repair.pushed };
  }

  /** When the drift the answer shows was first seen; a failure is logged, never the node's status. */
  private async observeDrift(row: NodeRow, health: Health): Promise<void> {
    try {
      await this.deps.drift?.observe(row.id, health);
    } catch (error) {
      this.deps.logger.warn(
        { node: row.id, err: { message: (error as Error).message } },
        "recording the node's drift sightings failed",
      );
    }
  }

  /** A failure here is logged, never the node's status: the node answered. */
  private async syncSuspensions(row: NodeRow, health: Health): Promise<void> {
    try {
      await this.deps.suspensions?.sync(row.id, health);
    } catch (error) {
      this.deps.logger.warn(
        { node: row.id, err: { message: (error as Error).message } },
        "recording the node's suspended peers failed",
      );
    }
  }

  private async recordUnhealthy(row: NodeRow, error: NodeAgentError): Promise<NodeCheck> {
    const reason = `its health could not be computed: ${scrubKeys(error.message)}`;
    await this.deps.nodes.setStatus(row.id, "degraded", reason);
    await publishStatusChange(this.deps.events, row, "degraded", reason);
    return { status: "degraded", reachable: true, pushed: 0 };
  }

  /** Another agent answers: degraded with the reason, and nothing pushed to it. */
  private async recordStranger(row: NodeRow, timed: NodeHealthReport, reason: string): Promise<NodeCheck> {
    await this.deps.nodes.recordHealth(row.id, {
      status: "degraded",
      reason,
      health: JSON.stringify(timed.health),
      seenAt: new Date(this.now()).toISOString(),
    });
    if (row.status_reason !== reason)
      this.deps.logger.warn({ node: row.id, name: row.name, reason }, "node held back");
    await publishStatusChange(this.deps.events, row, "degraded", reason);
    return { status: "degraded", reachable: true, pushed: 0, blocked: reason };
  }

  private async recordFailure(row: NodeRow, error: unknown): Promise<NodeCheck> {
    const message = error instanceof Error ? error.message : String(error);
    const limit = this.deps.settings.offlineAfterFailures;
    const failures = await this.deps.nodes.recordFailure(row.id, limit, (count) =>
      count >= limit ? `offline: ${message}` : `health check failed (${count} of ${limit}): ${message}`,
    );
    this.slowStreak.delete(row.id);
    const status: NodeStatus = failures >= limit ? "offline" : row.status;
    if (status === "offline" && row.status !== "offline") {
      this.deps.logger.warn({ node: row.id, name: row.name, failures, reason: message }, "node offline");
    }
    await publishStatusChange(this.deps.events, row, status, scrubKeys(message));
    return { status, reachable: false, pushed: 0 };
  }

  /** Why an answering node is not plainly `online`. */
  private problemsOf(row: NodeRow, timed: NodeHealthReport, interfaces: InterfaceRow[]): string[] {
    const problems: string[] = [];
    // An agent that may not manage WireGuard answers, but cannot serve: degraded, so `auto` skips it.
    const capability = timed.health.capability;
    if (capability?.ok === false) {
      problems.push(`cannot manage WireGuard: ${scrubKeys(capability.reason ?? "no reason given")}`);
    }
    const stray = timed.health.strayInterfaces ?? [];
    if (stray.length > 0) {
      problems.push(
        `stray interface(s) not managed by wgfleet: ${stray.join(", ")} (delete them on the node's page)`,
      );
    }
    const ours = new Set(interfaces.map((iface) => iface.name));
    for (const iface of timed.health.interfaces) {
      if (!ours.has(iface.name)) continue;
      if (iface.lastApplyError) {
        problems.push(`interface ${iface.name}: the last apply failed: ${scrubKeys(iface.lastApplyError)}`);
      }
      if (iface.strayPeers.length > 0) {
        problems.push(
          `interface ${iface.name} has ${iface.strayPeers.length} stray peer(s) wgfleet did not add (reconciling the node removes them)`,
        );
      }
    }
    const slow = timed.latencyMs > this.deps.settings.slowHealthMs;
    const streak = slow ? (this.slowStreak.get(row.id) ?? 0) + 1 : 0;
    this.slowStreak.set(row.id, streak);
    if (streak >= 2) problems.push(`slow health answers (${timed.latencyMs} ms)`);
    const skew = timed.clockSkewMs;
    if (Math.abs(skew) > this.deps.settings.maxClockSkewMs) {
      problems.push(
        `its clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? "ahead" : "behind"} (signatures fail beyond 60 s; run NTP)`,
      );
    }
    return problems;
  }

  /**
   * Every interface of the node whose desired state on the agent differs from the database's gets the
   * full state (and a peer left `pending` too long is settled first). Failures are problems, not throws.
   */
  private async bringInLine(
    row: NodeRow,
    health: Health,
    interfaces: InterfaceRow[],
  ): Promise<{ pushed: number; problems: string[] }> {
    const problems: string[] = [];
    let pushed = 0;
    for (const iface of interfaces) {
      try {
        await this.settleStale(iface);
        const agent = health.interfaces.find((candidate) => candidate.name === iface.name);
        const difference = await this.differenceOf(iface, agent);
        if (difference === null) {
          this.differenceSeen.delete(iface.id);
          continue;
        }
        const revision = Number(iface.revision);
        if (this.differenceSeen.get(iface.id) !== revision) {
          this.differenceSeen.set(iface.id, revision);
          continue;
        }
        this.differenceSeen.delete(iface.id);
        if (agent && agent.revision > revision) {
          // The agent is ahead (the database was restored from a backup?): go past its revision.
          await this.deps.interfaces.raiseRevision(iface.id, agent.revision + 1);
        }
        const current = (await this.deps.interfaces.findById(iface.id)) ?? iface;
        await this.deps.interfaceService.pushFullState(current);
        pushed++;
        this.deps.logger.info(
          {
            node: row.id,
            name: row.name,
            interface: iface.name,
            difference,
            revision: Number(current.revision),
          },
          "pushed the full desired state to the node",
        );
      } catch (error) {
        const message = error instanceof WgFleetError ? error.message : (error as Error).message;
        problems.push(
          `interface ${iface.name}: bringing it to its desired state failed: ${scrubKeys(message)}`,
        );
      }
    }
    return { pushed, problems };
  }

  /** Null when the agent holds exactly the database's desired state; else what differs. */
  private async differenceOf(
    iface: InterfaceRow,
    agent: InterfaceHealth | undefined,
  ): Promise<string | null> {
    if (!agent) return "the interface is missing on the node";
    const digest = await this.desiredDigest(iface);
    if (digest === agent.digest) return null;
    const revision = Number(iface.revision);
    if (agent.revision < revision)
      return `the node is at revision ${agent.revision}, the database at ${revision}`;
    if (agent.revision > revision)
      return `the node is at revision ${agent.revision}, ahead of the database's ${revision}`;
    return "the node's desired state differs from the database's";
  }

  private async desiredDigest(iface: InterfaceRow): Promise<string> {
    const revision = Number(iface.revision);
    const cached = this.digests.get(iface.id);
    if (cached && cached.revision === revision) return cached.digest;
    const state = await this.deps.interfaceService.desiredState(iface);
    const digest = digestInterfaceState(state);
    // Cached under the revision the state was read at (a newer one than the row's, maybe).
    this.digests.set(iface.id, { revision: state.revision, digest });
    return digest;
  }

  /** Pending peers older than any creation can take (a crash elsewhere): finished or rolled back. */
  private async settleStale(iface: InterfaceRow): Promise<void> {
    const s = this.deps.settings;
    const graceMs = 4 * s.agentTimeoutMs + 10_000;
    const settled = await this.deps.nodeSync.settlePending(iface, {
      createdBefore: new Date(this.now() - graceMs).toISOString(),
    });
    if (settled.active + settled.removed > 0) {
      this.deps.logger.info(
        { interface: iface.name, node: iface.node_id, ...settled },
        "settled stale pending peers",
      );
    }
  }
}

/** Answered, and its agent may be changed. */
function isWritable(check: NodeCheck): boolean {
  return check.reachable && check.blocked === undefined;
}
