// Whether this host can run the local node (`id: "local"`): "unavailable" with the reason (not root,
// `wg` missing, --no-local) instead of a crash — the dashboard must start anyway. The node's row and
// status are then written by the domain's start-up (domain-services.ts startDomainServices).
import { checkWireGuardAvailable } from "@wgfleet/wireguard";
import type { Logger } from "../logging/logger.js";

export const LOCAL_NODE_DISABLED_REASON = "local node disabled (--no-local)";

export interface LocalNodeStatus {
  enabled: boolean;
  /** Why the local node cannot run WireGuard, or null when it can. */
  unavailableReason: string | null;
}

export async function probeLocalNode(enabled: boolean, logger: Logger): Promise<LocalNodeStatus> {
  if (!enabled) return { enabled: false, unavailableReason: LOCAL_NODE_DISABLED_REASON };
  let reason: string | null;
  try {
    reason = await checkWireGuardAvailable();
  } catch (error) {
    reason = `cannot check WireGuard: ${(error as Error).message}`;
  }
  if (reason) logger.warn({ reason }, "local node unavailable");
  return { enabled: true, unavailableReason: reason };
}
