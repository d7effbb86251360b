// The fields of a share link that leave the service: never the token's hash. Its status is worked out
// here from the row and the time, so the list always says why a link no longer works.
import type { ShareLinkDto, ShareLinkStatus } from "@wgfleet/core";
import type { ShareLinkRow } from "./share-link.repository.js";

export function shareLinkStatus(row: ShareLinkRow, now: number): ShareLinkStatus {
  if (row.revoked_at !== null) return "revoked";
  if (row.used_at !== null) return "spent";
  if (Date.parse(row.expires_at) <= now) return "expired";
  return "active";
}

export function toShareLinkView(row: ShareLinkRow, now: number): ShareLinkDto {
  return {
    id: row.id,
    peerId: row.peer_id,
    createdAt: row.created_at,
    createdBy: row.created_by,
    expiresAt: row.expires_at,
    oneTime: row.one_time === 1,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
    status: shareLinkStatus(row, now),
  };
}
