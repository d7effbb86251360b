// A remote node running a WireGuard interface wgfleet does not manage, with a real agent and
// wireguard-go in the node's namespace: creating an interface under that name is refused and leaves
// nothing on the node; the foreign one is reported as stray, the node turns degraded naming it, the API
// shows it, and an admin's DELETE removes it, after which the node is online again.
import { generateKeyPair } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, startFleet } from "../fleet/harness.js";
import { bringUpClient, uniqueName } from "../support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { createConfiguration, fastHealthEnv, HEALTH_INTERVAL_MS, requireId } from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("a stray interface on a remote node", () => {
  let fleet: Fleet | null = null;
  const foreignName = uniqueName("sfx", 15);
  const foreignKeys = generateKeyPair();
  const current = () => {
    if (!fleet) throw new Error("the fleet did not start (see the beforeAll error)");
    return fleet;
  };
  const nodePath = () => `/api/v1/nodes/${requireId(current().node(0))}`;
  const foreignPublicKey = async (): Promise<string | null> => {
    const answer = await current()
      .node(0)
      .ns.exec("wg", ["show", foreignName, "public-key"])
      .catch(() => null);
    return answer ? answer.stdout.trim() : null;
  };

  beforeAll(async () => {
    fleet = await startFleet({ nodes: 1, prefix: "sf", dashboard: { env: fastHealthEnv() } });
    await fleet.registerNodes();
    const config = ["[Interface]", `PrivateKey = ${foreignKeys.privateKey}`, "Address = 198.19.77.1/24", ""];
    await bringUpClient(fleet.node(0).ns, config.join("\n"), foreignName);
  }, 300_000);

  afterAll(async () => {
    await fleet?.stop();
  }, 120_000);

  it("refuses an interface named like the foreign one and keeps nothing of it on the node", async () => {
    const api = current().api;
    await createConfiguration(api, foreignName, ["198.51.100.0/24"]);
    const refused = await api.request("POST", `/api/v1/configurations/${foreignName}/interfaces`, {
      nodeId: requireId(current().node(0)),
      listenPort: 51850,
      pool: "198.51.100.0/24",
    });
    expect([409, 502]).toContain(refused.status);
    expect(refused.text).toContain(foreignName);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const node = (await api.request("GET", nodePath())).json;
    expect(node.lastHealth.interfaces.map((i: { name: string }) => i.name)).not.toContain(foreignName);
    expect(await foreignPublicKey()).toBe(foreignKeys.publicKey);
  }, 60_000);

  it("reports it as stray, degrades the node naming it, and an admin deletes it", async () => {
    const api = current().api;
    await eventually(
      async () => (await api.request("GET", nodePath())).json.status === "degraded",
      "node degraded",
      { timeoutMs: 30 * HEALTH_INTERVAL_MS },
    );
    const node = (await api.request("GET", nodePath())).json;
    expect(node.statusReason).toContain(foreignName);
    expect(node.lastHealth.strayInterfaces).toEqual([foreignName]);

    const removed = await api.request("DELETE", `${nodePath()}/stray-interfaces/${foreignName}`);
    expect(removed.status, removed.text).toBe(204);
    expect(await foreignPublicKey()).toBeNull();
    await eventually(
      async () => (await api.request("GET", nodePath())).json.status === "online",
      "node online again",
      { timeoutMs: 30 * HEALTH_INTERVAL_MS },
    );
  }, 90_000);
});
