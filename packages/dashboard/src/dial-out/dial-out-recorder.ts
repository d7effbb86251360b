// What follows an agent's socket coming and going: the node's row records which replica holds it and
// since when (the API and the web app show it; other replicas read it); a node that (re)connects is
// asked for its health at once and — when it is its own agent — brought to its desired state with a full
// push, as at the dashboard's start, so what changed while it was away is applied without waiting for
// the poller. Failures are logged; the poller tries again.
import type { Logger } from "../logging/logger.js";
import type { NodeRow } from "../nodes/node.repository.js";
import type { ConnectionEvents } from "./agent-connections.js";

export interface DialOutRecorderDeps {
  nodes: {
    findById(id: string): Promise<NodeRow | undefined>;
    recordDialOutConnected(id: string, replica: string, since: string): Promise<void>;
    recordDialOutDisconnected(id: string, replica: string): Promise<void>;
  };
  health: {
    checkNode(
      row: NodeRow,
      options?: { repair?: boolean },
    ): Promise<{ blocked?: string; reachable: boolean }>;
  };
  sync: { syncNode(nodeId: string): Promise<unknown> };
  /** This replica's id. */
  replica: string;
  logger: Pick<Logger, "warn">;
}

export class DialOutRecorder implements ConnectionEvents {
  /** Node id → the work its last event started (events of one node run in order). */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: DialOutRecorderDeps) {}

  connected(nodeId: string, since: Date): void {
    this.after(nodeId, async () => {
      await this.deps.nodes.recordDialOutConnected(nodeId, this.deps.replica, since.toISOString());
      const row = await this.deps.nodes.findById(nodeId);
      if (!row) return;
      const check = await this.deps.health.checkNode(row, { repair: false });
      if (check.reachable && !check.blocked) await this.deps.sync.syncNode(nodeId);
    });
  }

  disconnected(nodeId: string): void {
    this.after(nodeId, () => this.deps.nodes.recordDialOutDisconnected(nodeId, this.deps.replica));
  }

  /** Resolves once every event so far has been handled (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  private after(nodeId: string, work: () => Promise<void>): void {
    const previous = this.running.get(nodeId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: Error) =>
        this.deps.logger.warn(
          { node: nodeId, err: { message: error.message } },
          "dial-out bookkeeping failed",
        ),
      );
    this.running.set(nodeId, next);
    void next.finally(() => {
      if (this.running.get(nodeId) === next) this.running.delete(nodeId);
    });
  }
}
