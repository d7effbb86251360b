// What the Overview needs around the traffic answer: where the browser's "today" starts (sent to the
// API, so "today" is the viewer's day, not the server's) and one node's figures. Pure; no fetch.
import type { NodeTraffic, Traffic } from "../api/types.js";

/** The browser's local midnight of `now`, as ISO-8601 UTC text. */
export function startOfLocalDay(now: Date = new Date()): string {
  const midnight = new Date(now.getTime());
  midnight.setHours(0, 0, 0, 0);
  return midnight.toISOString();
}

/** A node's traffic from the answer, or null when the answer does not list it. */
export function trafficOfNode(traffic: Traffic | null, nodeId: string): NodeTraffic | null {
  return traffic?.nodes.find((node) => node.nodeId === nodeId) ?? null;
}
