// Which transport reaches which node. The local node's entry is set once at start (or marked
// unavailable with the reason); RemoteNodes registers a remote agent's transport here for every node
// row with an agent. Services ask this registry and never construct a transport themselves.
import { LOCAL_NODE_ID, NodeUnavailableError } from "@wgfleet/core";
import type { NodeTransport } from "../transport/node-transport.js";

export class NodeTransports {
  private readonly transports = new Map<string, NodeTransport>();
  private readonly unavailable = new Map<string, string>();

  /** The local node: its transport, or why there is none (not root, `wg` missing, ...). */
  setLocal(transport: NodeTransport | null, unavailableReason: string | null): void {
    if (transport) this.register(LOCAL_NODE_ID, transport);
    else this.markUnavailable(LOCAL_NODE_ID, unavailableReason ?? "local node unavailable");
  }

  register(nodeId: string, transport: NodeTransport): void {
    this.transports.set(nodeId, transport);
    this.unavailable.delete(nodeId);
  }

  markUnavailable(nodeId: string, reason: string): void {
    this.transports.delete(nodeId);
    this.unavailable.set(nodeId, reason);
  }

  unregister(nodeId: string): void {
    this.transports.delete(nodeId);
    this.unavailable.delete(nodeId);
  }

  /** The transport for a node, or NodeUnavailableError (503) naming the node and the reason. */
  get(nodeId: string, field = "node"): NodeTransport {
    const transport = this.transports.get(nodeId);
    if (transport) return transport;
    const reason = this.unavailable.get(nodeId) ?? "no transport configured";
    throw new NodeUnavailableError(`node ${nodeId} is unavailable: ${reason}`, field);
  }

  tryGet(nodeId: string): NodeTransport | null {
    return this.transports.get(nodeId) ?? null;
  }

  unavailableReason(nodeId: string): string | null {
    return this.unavailable.get(nodeId) ?? null;
  }

  nodeIds(): string[] {
    return [...this.transports.keys()];
  }
}
