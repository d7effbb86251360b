// A fleet node made one whose agent dials out (issue 17): the agent the fleet started as an ordinary
// one is stopped, the node is added through the API as one that dials out, and the agent starts again
// with --dashboard pointing at a TCP forwarder on the host side of its namespace's veth, which leads to
// the chosen dashboard (dashboards listen on the host's loopback, which the namespace cannot reach).
// The forwarder is the network in between: cut() and restore() fail it and bring it back.
import type { Fleet, FleetDashboard, FleetNode } from "../fleet/harness.js";
import type { TcpForwarder } from "../support/tcp-forwarder.js";
import { fastHealthEnv, forwardDashboard, nodeStatus } from "./support.js";

/**
 * The environment of a dashboard with nodes that dial out: health polled each second and an agent call
 * given up after 3 s, so that a cut connection shows within seconds.
 */
export function dialOutDashboardEnv(): Record<string, string> {
  return fastHealthEnv({ agentTimeoutMs: 3_000 });
}

/** A node as the API returns it (the fields these tests read). */
export interface ApiNode {
  id: string;
  name: string;
  status: string;
  connection: string;
  agentUrl: string | null;
  connectedSince: string | null;
  agentInstanceId: string | null;
}

export interface DialOutNode {
  /** The node as the API answered its creation. */
  created: ApiNode;
  /** Between the namespace and the dashboard; stopped by the caller. */
  forwarder: TcpForwarder;
  /** Starts the agent again (stop it first), dialing the same dashboard through the forwarder. */
  startAgent(options?: { wipeState?: boolean; connected?: () => Promise<boolean> }): Promise<void>;
}

/**
 * Makes `node` one that dials out to `dashboard` (the fleet's first by default); the node is added
 * through the fleet's API and the agent started is waited for until the node is `online` there.
 */
export async function makeDialOutNode(
  fleet: Fleet,
  node: FleetNode,
  options: { dashboard?: FleetDashboard } = {},
): Promise<DialOutNode> {
  await node.stopAgent();
  const { forwarder, url } = await forwardDashboard(fleet, node, options.dashboard ?? fleet.dashboard);
  try {
    const created = await fleet.api.expect<ApiNode>(
      "POST",
      "/api/v1/nodes",
      { name: node.name, dialOut: true, secret: node.secret, endpoint: node.address },
      [201],
    );
    node.id = created.json.id;
    const startAgent: DialOutNode["startAgent"] = (start = {}) =>
      node.startAgent({
        ...(start.wipeState ? { wipeState: true } : {}),
        dialOut: {
          dashboardUrl: url,
          connected: start.connected ?? (async () => (await nodeStatus(fleet.api, node)) === "online"),
        },
      });
    await startAgent();
    return { created: created.json, forwarder, startAgent };
  } catch (error) {
    await forwarder.stop();
    throw error;
  }
}
