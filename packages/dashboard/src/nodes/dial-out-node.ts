// A node whose agent dials out has no URL the dashboard could call. Its row still holds an agent URL
// of its own — `dial-out://NODE-ID`, which names no host and is never fetched — so that everything that
// tells a remote node from the local one by its agent URL stays true, and its signed client has a base
// to resolve request paths against (the socket carries only path and query).
import type { NodeRow } from "./node.repository.js";

const SCHEME = "dial-out:";

export function dialOutAgentUrl(nodeId: string): string {
  return `${SCHEME}//${nodeId}`;
}

export function isDialOut(row: Pick<NodeRow, "connection">): boolean {
  return row.connection === "dial-out";
}
