// Enrollment by join token (issue 15). An admin makes a one-time token (1 h by default) and gets, once,
// the `wgfleet-agent join …` line to paste on the new server; only the token's hash is kept. The agent
// calls the public `POST /api/v1/join` with it and the node's settings: the token is checked (unknown,
// used and expired each say so), then the node is created by the normal path (same validation, same
// health check of the agent) and the token is marked used in the transaction that inserts the node, so
// of two joins with one token exactly one adds a node. Wrong tokens count against the caller's address
// like share links' (the same limiter).
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  type CreatedJoinTokenDto,
  type CreateJoinTokenBody,
  JOIN_TOKEN_DEFAULT_MINUTES,
  type JoinBody,
  type JoinTokenDto,
  type NodeDto,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
} from "@wgfleet/core";
import type { AuditService } from "../audit/index.js";
import { nowIso } from "../clock.js";
import type { Db } from "../db/index.js";
import type { NodeService } from "../nodes/node.service.js";
import type { PublicThrottle } from "../shares/public-throttle.js";
import { generateJoinToken, joinTokenHash, looksLikeJoinToken } from "./join-token.js";
import { joinTokenStatus, toJoinTokenDto } from "./join-token.mapper.js";
import type { JoinTokenRepository, JoinTokenRow } from "./join-token.repository.js";

export interface JoinTokenServiceDeps {
  tokens: JoinTokenRepository;
  nodes: Pick<NodeService, "create">;
  limiter: PublicThrottle;
  audit: Pick<AuditService, "recordEvent">;
  now?: () => number;
}

/** A node name the pasted command may carry as it is (anything else stays a placeholder). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Likewise the dashboard's URL: nothing a shell would read as more than one word. */
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~/-]*)?$/;

export class JoinTokenService {
  constructor(private readonly deps: JoinTokenServiceDeps) {}

  /** `POST /api/v1/join-tokens`: the token and the command are in this answer only. */
  async create(body: CreateJoinTokenBody, actor: string, dashboardUrl: string): Promise<CreatedJoinTokenDto> {
    const token = generateJoinToken();
    const now = this.now();
    const minutes = body.expiresInMinutes ?? JOIN_TOKEN_DEFAULT_MINUTES;
    const row = {
      id: randomUUID(),
      name: body.name ?? null,
      token_hash: joinTokenHash(token),
      created_by: actor,
      created_at: nowIso(now),
      expires_at: nowIso(now + minutes * 60_000),
      used_at: null,
      node_id: null,
    };
    await this.deps.tokens.insert(row);
    await this.deps.audit.recordEvent(actor, {
      action: "join-token.create",
      target: row.id,
      details: { name: row.name, expiresAt: row.expires_at },
    });
    return {
      id: row.id,
      token,
      expiresAt: row.expires_at,
      command: joinCommand(dashboardUrl, token, row.name, "listen"),
      commandDialOut: joinCommand(dashboardUrl, token, row.name, "dial-out"),
    };
  }

  async list(): Promise<JoinTokenDto[]> {
    const now = nowIso(this.now());
    return (await this.deps.tokens.list()).map((row) => toJoinTokenDto(row, now));
  }

  /** `DELETE /api/v1/join-tokens/:id`: the token no longer lets anyone join. */
  async revoke(id: string, actor: string): Promise<void> {
    if (!(await this.deps.tokens.delete(id))) throw new NotFoundError(`join token ${id}`);
    await this.deps.audit.recordEvent(actor, { action: "join-token.revoke", target: id });
  }

  /** `POST /api/v1/join` (public): the node the token lets in, created as POST /api/v1/nodes would. */
  async join(body: JoinBody, address: string): Promise<NodeDto> {
    const wait = await this.deps.limiter.admit(address);
    if (wait > 0)
      throw new RateLimitedError(`too many join attempts from this address; try again in ${wait} s`);
    const row = await this.usable(body.token, address);
    const { token: _token, ...node } = body;
    return this.deps.nodes.create(node, `join token ${row.name ?? row.id}`, async (trx: Db, nodeId) => {
      if (!(await this.deps.tokens.claim(trx, row.id, nodeId, nowIso(this.now())))) {
        throw new ConflictError(
          "join token: was used by another node a moment ago; ask for a new one",
          "token",
        );
      }
    });
  }

  /** The token's row when it may still be used; otherwise an error saying why not. */
  private async usable(token: string, address: string): Promise<JoinTokenRow> {
    const row = looksLikeJoinToken(token)
      ? await this.deps.tokens.findByHash(joinTokenHash(token))
      : undefined;
    if (!row) {
      await this.deps.limiter.recordMiss(address);
      throw new UnauthorizedError("join token: unknown (mistyped, or revoked by an admin)");
    }
    const status = joinTokenStatus(row, nowIso(this.now()));
    if (status === "used") {
      throw new ConflictError(
        `join token: already used at ${row.used_at}; ask an admin for a new one`,
        "token",
      );
    }
    if (status === "expired") {
      throw new ConflictError(
        `join token: expired at ${row.expires_at}; ask an admin for a new one`,
        "token",
      );
    }
    return row;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

/**
 * The line to paste on the new server; what the admin still has to fill in is in CAPITALS. A node the
 * dashboard can reach listens for it; one behind NAT or a firewall dials out to the dashboard instead.
 */
export function joinCommand(
  dashboardUrl: string,
  token: string,
  name: string | null,
  reachedBy: "listen" | "dial-out",
): string {
  const nodeName = name !== null && SAFE_NAME.test(name) ? name : "NODE-NAME";
  const url = SAFE_URL.test(dashboardUrl) ? dashboardUrl.replace(/\/$/, "") : "DASHBOARD-URL";
  return [
    "wgfleet-agent join",
    `--dashboard ${url}`,
    `--token ${token}`,
    `--name ${nodeName}`,
    reachedBy === "listen" ? "--listen 0.0.0.0:7443" : "--dial-out",
    "--endpoint PUBLIC-HOST",
  ].join(" ");
}
