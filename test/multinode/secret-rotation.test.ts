// Issue 15 acceptance, secret rotation without downtime, against a real agent in a namespace: 200 peer
// creations run against the node while its secret rotates and none fails; afterwards the agent's secret
// file holds only the new secret, a request signed with the old one is refused with 401, and the node
// stays online (the dashboard signs with the new one). Then a dashboard killed in the middle of a
// rotation (the agent stopped with SIGSTOP so the hand-over hangs) finishes it after its restart.
import { readFile } from "node:fs/promises";
import { keyIdForSecret } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { AgentClient, AgentRequestError } from "../../packages/agent/src/client/index.js";
import { eventually, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import {
  createConfiguration,
  expectLive,
  fastHealthEnv,
  listPeers,
  nodeStatus,
  placeConfiguration,
  postPeer,
  requireId,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CONFIG = "rot";
const PORT = 51850;

/** The secrets in the agent's secret file (line 1 current, line 2 the previous during a rotation). */
async function fileSecrets(node: FleetNode): Promise<string[]> {
  return (await readFile(node.secretFile, "utf8")).split("\n").filter(Boolean);
}

/** The status a signed health call with this secret gets from the node's agent. */
async function healthStatus(node: FleetNode, secret: string): Promise<number> {
  try {
    await new AgentClient({ baseUrl: node.agentUrl, secret, keyId: keyIdForSecret(secret) }).health();
    return 200;
  } catch (error) {
    if (error instanceof AgentRequestError) return error.status;
    throw error;
  }
}

describe.skipIf(skip)("secret rotation without downtime (issue 15)", () => {
  const current = useFleet({
    nodes: 1,
    prefix: "sr",
    dashboard: { env: fastHealthEnv({ agentTimeoutMs: 3_000 }) },
  });

  it("rotates while 200 peers are created on the node: none fails, the old secret is refused after", async () => {
    const fleet = current();
    const [node] = await fleet.registerNodes();
    const n = node as FleetNode;
    await createConfiguration(fleet.api, CONFIG, ["198.19.0.0/16"]);
    await placeConfiguration(fleet, CONFIG, [{ node: n, pool: "198.19.4.0/22", listenPort: PORT }]);

    let done = 0;
    let next = 0;
    const statuses: Array<{ status: number; text: string }> = [];
    const worker = async () => {
      while (next < 200) {
        const i = next++;
        const answer = await postPeer(fleet.api, CONFIG, { name: `rot-${i}`, node: requireId(n) });
        statuses.push({ status: answer.status, text: answer.text });
        done++;
      }
    };
    const creations = Promise.all(Array.from({ length: 16 }, worker));
    await eventually(async () => done >= 20, "20 creations done", { timeoutMs: 60_000 });
    const rotated = await fleet.api.expect<{ keyId: string; previousDropped: boolean }>(
      "POST",
      `/api/v1/nodes/${requireId(n)}/rotate-secret`,
      undefined,
      [200],
    );
    const rotatedAt = done;
    await creations;

    expect(statuses.filter((s) => s.status !== 201)).toEqual([]);
    expect(statuses).toHaveLength(200);
    // The rotation really ran while creations were still going on.
    expect(rotatedAt).toBeLessThan(200);
    expect(rotated.json.previousDropped).toBe(true);
    expect(rotated.text).not.toContain((await fileSecrets(n))[0]);
    const secrets = await fileSecrets(n);
    expect(secrets).toHaveLength(1);
    expect(keyIdForSecret(secrets[0] as string)).toBe(rotated.json.keyId);
    expect(rotated.json.keyId).not.toBe(n.keyId);
    expect(await healthStatus(n, n.secret)).toBe(401);
    expect(await healthStatus(n, secrets[0] as string)).toBe(200);

    const peers = await listPeers(fleet.api, CONFIG);
    expect(peers).toHaveLength(200);
    await expectLive(n.ns, n.interfaceName(0), peers);
    // The dashboard's own calls (health, a new peer) are signed with the new secret.
    await eventually(async () => (await nodeStatus(fleet.api, n)) === "online", "node online", {
      timeoutMs: 20_000,
    });
    expect((await postPeer(fleet.api, CONFIG, { name: "after", node: requireId(n) })).status).toBe(201);
  }, 300_000);

  it("a dashboard killed half way through a rotation finishes it after its restart", async () => {
    const fleet = current();
    const n = fleet.node(0);
    const [before] = await fileSecrets(n);
    const pid = n.agentPid;
    if (!pid) throw new Error("the agent is not running");
    process.kill(pid, "SIGSTOP");
    try {
      const rotation = fleet.api.post(`/api/v1/nodes/${requireId(n)}/rotate-secret`).catch(() => null);
      // The hand-over is on its way to the stopped agent: the rotation is recorded by now.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await fleet.killDashboard();
      await rotation;
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await fleet.startDashboard();
    await eventually(
      async () => {
        const secrets = await fileSecrets(n);
        return secrets.length === 1 && secrets[0] !== before;
      },
      "the rotation finished by the restarted dashboard",
      { timeoutMs: 60_000 },
    );
    const [after] = await fileSecrets(n);
    expect(await healthStatus(n, before as string)).toBe(401);
    expect(await healthStatus(n, after as string)).toBe(200);
    await eventually(async () => (await nodeStatus(fleet.api, n)) === "online", "node online", {
      timeoutMs: 20_000,
    });
    expect((await postPeer(fleet.api, CONFIG, { name: "after-restart", node: requireId(n) })).status).toBe(
      201,
    );
  }, 300_000);
});
