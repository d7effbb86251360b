// Calling a dial-out node whose socket another replica holds (PostgreSQL, several replicas). Replicas
// have no addresses of each other, only the database: the requester writes the already-signed request
// frame (never re-signed) in a row for the holder and notifies it; the holder takes the row, sends the
// frame over its socket and writes the agent's answer back, notifying the requester, who reads the
// answer and deletes the row. Cost: one notice and two short statements on each side.
//
// The requester's signal (the transport's timeout) still bounds the call. When it fires the row is
// deleted: if the holder never took the request, the call fails like a refused connection (503, retried
// like one); if the holder took it, like a socket whose agent did not answer in time. A holder that
// cannot send (no socket any more, the socket closed) answers why, and the call fails like a refused
// connection too. Rows never outlive their call, except those of a replica that stopped mid-call: the
// leader removes those after a few minutes (startCleanup).
import { randomUUID } from "node:crypto";
import type { DialOutResponse } from "@wgfleet/core";
import type { Logger } from "../logging/logger.js";
import type { NoticeChannels, NoticeListener } from "../replicas/notice-channels.js";
import { REPLICA_STALE_MS } from "../replicas/replica-presence.js";
import { type BackgroundJob, startIntervalJob } from "../startup/background-job.js";
import { AgentNotConnectedError, type RequestFrame } from "./agent-connections.js";
import { type AgentRelayRepository, RELAY_CHANNEL, type RelayNotice } from "./agent-relay.repository.js";

/** The agent's answer as the requester gets it. */
export type RelayedAnswer = Pick<DialOutResponse, "status" | "contentType" | "body">;
/** What the holder writes back: the agent's answer, or why it could not send the request. */
type StoredAnswer = RelayedAnswer | { refused: string };

/** How long a holder waits for its agent (the requester, bound by its own timeout, gives up sooner). */
export const RELAY_HOLD_MAX_MS = 60_000;
/** A call without a signal of its own gives up after this long. */
const RELAY_CALL_MAX_MS = RELAY_HOLD_MAX_MS;
/** Rows older than this belong to no call any more (their requester stopped); the leader removes them. */
export const RELAY_ROW_MAX_AGE_MS = 5 * 60_000;
const RELAY_CLEANUP_INTERVAL_MS = 60_000;

/** The sockets this replica holds (AgentConnections). */
export interface HeldSockets {
  send(nodeId: string, frame: RequestFrame, signal: AbortSignal | null): Promise<DialOutResponse>;
}

export interface AgentRelayDeps {
  rows: AgentRelayRepository;
  notices: NoticeChannels;
  sockets: HeldSockets;
  /** This replica's id. */
  replicaId: string;
  logger: Pick<Logger, "warn">;
  now?: () => number;
}

export class AgentRelay implements NoticeListener {
  /** This replica's calls waiting for an answer: request id → told that its answer was written. */
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly deps: AgentRelayDeps) {
    deps.notices.listenOn(RELAY_CHANNEL, this);
  }

  /** Sends `frame` through the replica holding the node's socket and answers the agent's answer. */
  async forward(nodeId: string, frame: RequestFrame, signal: AbortSignal | null): Promise<RelayedAnswer> {
    const limit = signal
      ? AbortSignal.any([signal, AbortSignal.timeout(RELAY_CALL_MAX_MS)])
      : AbortSignal.timeout(RELAY_CALL_MAX_MS);
    if (limit.aborted) throw limit.reason;
    const id = randomUUID();
    // Listening before writing: the answer's notice can come before ask() returns.
    let heard = false;
    this.waiting.set(id, () => {
      heard = true;
    });
    const target = await this.deps.rows
      .ask({
        id,
        nodeId,
        requester: this.deps.replicaId,
        frame: JSON.stringify(frame),
        at: this.iso(0),
        liveSince: this.iso(-REPLICA_STALE_MS),
      })
      .catch((error: Error) => {
        this.stopWaiting(id);
        throw new AgentNotConnectedError(`the request could not be relayed: ${error.message}`);
      });
    if (target === null) {
      this.stopWaiting(id);
      throw new AgentNotConnectedError(
        "the agent dials out and is not connected to any dashboard replica now",
      );
    }
    const stored = await this.answerOf(id, limit, heard);
    if ("refused" in stored) throw new AgentNotConnectedError(`replica ${target}: ${stored.refused}`);
    return stored;
  }

  heard(payload: string): void {
    const notice = parseNotice(payload);
    if (notice?.to !== this.deps.replicaId) return;
    if (notice.kind === "answer") this.waiting.get(notice.id)?.();
    else void this.serve(notice.id);
  }

  /** Notices were missed: requests for this replica are served, this replica's calls look for answers. */
  missed(): void {
    for (const wake of this.waiting.values()) wake();
    void this.deps.rows
      .untaken(this.deps.replicaId)
      .then((ids) => Promise.all(ids.map((id) => this.serve(id))))
      .catch((error: Error) => this.warn("relayed requests could not be listed", error));
  }

  /** The leader's job: rows of calls whose requester stopped are removed. */
  startCleanup(logger: Logger): BackgroundJob {
    return startIntervalJob(
      "agent-relay-cleanup",
      RELAY_CLEANUP_INTERVAL_MS,
      () => this.removeStragglers(),
      logger,
    );
  }

  removeStragglers(): Promise<number> {
    return this.deps.rows.deleteCreatedBefore(this.iso(-RELAY_ROW_MAX_AGE_MS));
  }

  /**
   * Settles with the stored answer once it is written (`heard`: its notice came already), or rejects
   * when `limit` fires (the row deleted then).
   */
  private answerOf(id: string, limit: AbortSignal, heard: boolean): Promise<StoredAnswer> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        this.stopWaiting(id);
        limit.removeEventListener("abort", onAbort);
        outcome();
      };
      const onAbort = () => {
        this.deps.rows.abandon(id).then(
          (row) =>
            settle(() =>
              // Not taken: the holder never saw it, nothing was sent — like a refused connection.
              // Taken (or already gone, its answer being read): the agent may have had it — a timeout
              // as on a held socket, never retried.
              row?.taken !== false
                ? reject(limit.reason)
                : reject(
                    new AgentNotConnectedError(
                      "the replica holding the agent's connection did not take the request in time",
                    ),
                  ),
            ),
          (error: Error) =>
            settle(() => reject(new AgentNotConnectedError(`the relay failed: ${error.message}`))),
        );
      };
      const collect = () =>
        this.deps.rows.collect(id).then(
          (answer) => {
            if (answer !== undefined) settle(() => resolve(parseAnswer(answer)));
          },
          (error: Error) =>
            settle(() => reject(new AgentNotConnectedError(`the relay failed: ${error.message}`))),
        );
      this.waiting.set(id, () => void collect());
      if (limit.aborted) onAbort();
      else limit.addEventListener("abort", onAbort, { once: true });
      if (heard) void collect();
    });
  }

  private stopWaiting(id: string): void {
    this.waiting.delete(id);
  }

  /** The holder's side: takes the request (unless gone or taken), sends it, writes the answer back. */
  private async serve(id: string): Promise<void> {
    try {
      const request = await this.deps.rows.take(id, this.deps.replicaId, this.iso(0));
      if (!request) return;
      let answer: StoredAnswer;
      try {
        const frame = JSON.parse(request.frame) as RequestFrame;
        const { status, contentType, body } = await this.deps.sockets.send(
          request.node_id,
          frame,
          AbortSignal.timeout(RELAY_HOLD_MAX_MS),
        );
        answer = { status, contentType, body };
      } catch (error) {
        answer = { refused: reasonOf(error) };
      }
      await this.deps.rows.answer(id, JSON.stringify(answer), this.iso(0));
    } catch (error) {
      this.warn("a relayed request could not be served", error as Error);
    }
  }

  private iso(offsetMs: number): string {
    return new Date((this.deps.now ?? Date.now)() + offsetMs).toISOString();
  }

  private warn(what: string, error: Error): void {
    this.deps.logger.warn({ replica: this.deps.replicaId, err: { message: error.message } }, what);
  }
}

function parseNotice(payload: string): RelayNotice | null {
  try {
    const notice = JSON.parse(payload) as Partial<RelayNotice>;
    if ((notice.kind === "request" || notice.kind === "answer") && typeof notice.id === "string")
      return { kind: notice.kind, id: notice.id, to: String(notice.to ?? "") };
  } catch {
    // not one of ours
  }
  return null;
}

function parseAnswer(text: string): StoredAnswer {
  const value = JSON.parse(text) as Partial<RelayedAnswer> & { refused?: unknown };
  if (typeof value.refused === "string") return { refused: value.refused };
  if (typeof value.status !== "number") return { refused: "the relayed answer is malformed" };
  return {
    status: value.status,
    contentType: String(value.contentType ?? ""),
    body: String(value.body ?? ""),
  };
}

/** Why the holder could not send: the not-connected reason, or the error's own message. */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof Error) return cause.message;
  if ((error as Error)?.name === "TimeoutError") return "the agent did not answer in time";
  return error instanceof Error ? error.message : String(error);
}
