// A join token row as the API lists it: its status, never the token (only its hash is stored anyway).
import type { JoinTokenDto, JoinTokenStatus } from "@wgfleet/core";
import type { JoinTokenRow } from "./join-token.repository.js";

export function joinTokenStatus(row: JoinTokenRow, now: string): JoinTokenStatus {
  if (row.used_at !== null) return "used";
  return row.expires_at <= now ? "expired" : "active";
}

export function toJoinTokenDto(row: JoinTokenRow, now: string): JoinTokenDto {
  return {
    id: row.id,
    name: row.name,
    status: joinTokenStatus(row, now),
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    nodeId: row.node_id,
  };
}
