// Draining a node: the node is marked `draining` first (placement passes it by from then on), its plan
// made (drain-planner.ts), and, unless it is a dry run, a job written with one item per peer (its
// planned target; the peers that fit nowhere failed at once with the reason). The runner moves them.
// The node stays draining after the job, so it stays empty, until an admin ends it
// (`PATCH /api/v1/nodes/:id {draining: false}`).
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  type DrainNodeBody,
  type DrainPlanDto,
  type DrainStartedDto,
  MOVE_GRACE_DEFAULT_HOURS,
  NotFoundError,
} from "@wgfleet/core";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import type { JobRepository, NewJobItem } from "../jobs/job.repository.js";
import type { PeerAudit } from "../peers/ports.js";
import type { DrainRepository } from "./drain.repository.js";
import type { DrainPlanner } from "./drain-planner.js";

export interface DrainServiceDeps {
  db: Db;
  drains: Pick<DrainRepository, "setDraining">;
  nodes: { findById(id: string): Promise<{ id: string; draining: number } | undefined> };
  planner: Pick<DrainPlanner, "plan">;
  jobs: Pick<JobRepository, "insert" | "runningOf">;
  audit: PeerAudit;
  /** Starts running a written job (drain-runner.ts). */
  run: (jobId: string) => void;
}

export class DrainService {
  constructor(private readonly deps: DrainServiceDeps) {}

  /** `POST /api/v1/nodes/:id/drain`: the plan on a dry run, else the job that carries it out. */
  async drain(nodeId: string, body: DrainNodeBody, actor: string): Promise<DrainPlanDto | DrainStartedDto> {
    const node = await this.deps.nodes.findById(nodeId);
    if (!node) throw new NotFoundError(`node ${nodeId}`);
    if (body.dryRun === true) return this.deps.planner.plan(nodeId);
    const running = await this.deps.jobs.runningOf("drain", nodeId);
    if (running) throw new ConflictError(`node ${nodeId} is being drained already (job ${running.id})`, "id");
    const graceHours = body.graceHours ?? MOVE_GRACE_DEFAULT_HOURS;
    // Draining before planning: no creation lands on the node behind the plan's back.
    await this.deps.drains.setDraining(nodeId, true);
    let plan: DrainPlanDto;
    try {
      plan = await this.deps.planner.plan(nodeId);
    } catch (error) {
      if (Number(node.draining) === 0) await this.deps.drains.setDraining(nodeId, false);
      throw error;
    }
    const jobId = randomUUID();
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.deps.jobs.insert(
        {
          id: jobId,
          kind: "drain",
          subject: nodeId,
          params: JSON.stringify({ graceHours }),
          status: "running",
          total: plan.moves.length + plan.unplaced.length,
          created_by: actor,
          created_at: now,
          updated_at: now,
          finished_at: null,
        },
        itemsOf(plan),
        trx,
      );
      await this.deps.audit.recordEvent(
        actor,
        {
          action: "node.drain",
          target: nodeId,
          details: { job: jobId, graceHours, moves: plan.moves.length, unplaced: plan.unplaced.length },
        },
        trx,
      );
    });
    this.deps.run(jobId);
    return { jobId, plan };
  }
}

/** The plan's moves in order, then the peers that fit nowhere (failed from the start, with why). */
function itemsOf(plan: DrainPlanDto): NewJobItem[] {
  const moves: NewJobItem[] = plan.moves.map((move, position) => ({
    position,
    item_id: move.peerId,
    label: move.peerName,
    target: move.toNode,
    state: "pending",
    error: null,
  }));
  const unplaced: NewJobItem[] = plan.unplaced.map((peer, index) => ({
    position: plan.moves.length + index,
    item_id: peer.peerId,
    label: peer.peerName,
    target: null,
    state: "failed",
    error: peer.reason,
  }));
  return [...moves, ...unplaced];
}
