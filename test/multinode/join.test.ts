// Issue 15 acceptance, enrollment by join token, with real agents started by `wgfleet-agent join` (their
// WireGuard in a node's namespace; see FleetNode.joinAgent): an admin makes a token, the agent joins with
// no secret typed, the node is online and a peer created on it is live in `wg show`. A used token and an
// expired one are refused with a message saying which, the agent exits ≠ 0 and leaves no file behind;
// two agents joining with one token at once: exactly one node.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { SHIFTED_CLOCK_MODULE, TEST_CLOCK_FILE_ENV, writeClockOffset } from "../support/shifted-clock.js";
import { createConfiguration, expectLive, fastHealthEnv, placeConfiguration } from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CONFIG = "jn";
const PORT = 51860;
/** Host loopback ports of the joining agents: random, so parallel runs on one machine do not meet. */
// Below Linux's ephemeral range (32768-60999): a port there can be a live connection's source port
// already (a CI run saw EADDRINUSE on 127.0.0.1:38820).
const basePort = 20000 + Math.floor(Math.random() * 10000);
/** The dashboard's clock offset (test/support/shifted-clock.ts). */
const CLOCK_FILE = join(tmpdir(), `wgfleet-join-clock-${process.pid}`);

interface Created {
  id: string;
  token: string;
  expiresAt: string;
  command: string;
}

async function newToken(fleet: Fleet, body: Record<string, unknown> = {}): Promise<Created> {
  return (await fleet.api.expect<Created>("POST", "/api/v1/join-tokens", body, [201])).json;
}

async function nodeNamed(fleet: Fleet, name: string) {
  return (await fleet.listNodes()).find((node) => node.name === name) ?? null;
}

function joinWith(fleet: Fleet, node: FleetNode, token: string, name: string, port: number) {
  return node.joinAgent({
    dashboardUrl: fleet.dashboard?.url as string,
    token,
    name,
    port,
    joined: async () => (await nodeNamed(fleet, name)) !== null,
  });
}

describe.skipIf(skip)("enrollment by join token (issue 15)", () => {
  const current = useFleet({
    nodes: 3,
    prefix: "jn",
    dashboard: {
      env: { ...fastHealthEnv(), [TEST_CLOCK_FILE_ENV]: CLOCK_FILE },
      imports: [SHIFTED_CLOCK_MODULE],
    },
  });
  afterAll(async () => {
    await rm(CLOCK_FILE, { force: true });
  });

  it("a fresh agent joins with a token: online, a peer live on it; the token is then used", async () => {
    const fleet = current();
    for (const node of fleet.nodes) await node.stopAgent();
    const created = await newToken(fleet, { name: "joined1", expiresInMinutes: 30 });
    expect(created.token).toMatch(/^wgj_[A-Za-z0-9_-]{43}$/);
    expect(created.command).toContain(`--token ${created.token}`);
    expect(created.command).toContain("--name joined1");
    const listed = await fleet.api.expect<{ items: Array<Record<string, unknown>> }>(
      "GET",
      "/api/v1/join-tokens",
    );
    expect(JSON.stringify(listed.json)).not.toContain(created.token);
    expect(listed.json.items.find((t) => t.id === created.id)?.status).toBe("active");

    const n = fleet.node(0);
    const attempt = await joinWith(fleet, n, created.token, "joined1", basePort);
    expect(attempt.exitStatus, await attempt.log()).toBeNull();
    expect(existsSync(attempt.configFile)).toBe(true);
    const node = await nodeNamed(fleet, "joined1");
    n.id = node?.id as string;
    await eventually(async () => (await nodeNamed(fleet, "joined1"))?.status === "online", "joined1 online", {
      timeoutMs: 30_000,
    });

    await createConfiguration(fleet.api, CONFIG, ["198.19.0.0/16"]);
    await placeConfiguration(fleet, CONFIG, [{ node: n, pool: "198.19.8.0/24", listenPort: PORT }]);
    const peer = await fleet.api.expect<{ name: string; publicKey: string; addresses: string[] }>(
      "POST",
      `/api/v1/configurations/${CONFIG}/peers`,
      { name: "via-join", node: n.id },
      [201],
    );
    await expectLive(n.ns, n.interfaceName(0), [peer.json as never]);

    const after = await fleet.api.expect<{ items: Array<Record<string, unknown>> }>(
      "GET",
      "/api/v1/join-tokens",
    );
    const used = after.json.items.find((t) => t.id === created.id);
    expect(used?.status).toBe("used");
    expect(used?.nodeId).toBe(n.id);

    // The same token again: refused, saying it was used; the agent exits ≠ 0 and writes nothing.
    const again = await joinWith(fleet, fleet.node(1), created.token, "again", basePort + 1);
    expect(again.exitStatus).not.toBe(0);
    expect(again.exitStatus).not.toBeNull();
    expect(await again.log()).toMatch(/join token: already used/);
    expect(existsSync(again.configFile)).toBe(false);
    expect(await nodeNamed(fleet, "again")).toBeNull();
  }, 240_000);

  it("two agents joining with one token at once: exactly one node", async () => {
    const fleet = current();
    const created = await newToken(fleet);
    const [a, b] = await Promise.all([
      joinWith(fleet, fleet.node(1), created.token, "race-a", basePort + 2),
      joinWith(fleet, fleet.node(2), created.token, "race-b", basePort + 3),
    ]);
    const nodes = (await fleet.listNodes()).filter((node) => node.name.startsWith("race-"));
    expect(nodes).toHaveLength(1);
    const statuses = [a?.exitStatus, b?.exitStatus];
    expect(statuses.filter((status) => status === null)).toHaveLength(1);
  }, 240_000);

  it("an unknown token and an expired one are refused, saying which", async () => {
    const fleet = current();
    const body = {
      name: "late",
      agentUrl: "http://127.0.0.1:1",
      secret: "a-secret-that-is-long-enough",
      endpoint: "198.18.0.1",
    };
    const unknown = await fleet.api.post("/api/v1/join", { ...body, token: `wgj_${"A".repeat(43)}` });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toMatch(/join token: unknown/);
    const created = await newToken(fleet, { expiresInMinutes: 1 });
    try {
      // The dashboard's clock two minutes on: the token is past its expiry.
      await writeClockOffset(CLOCK_FILE, 2 * 60_000);
      // Once the dashboard reads the new offset, its list calls the token expired.
      await eventually(
        async () => {
          const listed = await fleet.api.expect<{ items: Array<Record<string, unknown>> }>(
            "GET",
            "/api/v1/join-tokens",
          );
          return listed.json.items.find((t) => t.id === created.id)?.status === "expired";
        },
        "the token listed as expired",
        { timeoutMs: 10_000 },
      );
      const refused = await fleet.api.post("/api/v1/join", { ...body, token: created.token });
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/join token: expired at/);
    } finally {
      await writeClockOffset(CLOCK_FILE, 0);
    }
    expect(await nodeNamed(fleet, "late")).toBeNull();
  }, 120_000);

  it("a revoked token lets nobody join", async () => {
    const fleet = current();
    const created = await newToken(fleet);
    await fleet.api.expect("DELETE", `/api/v1/join-tokens/${created.id}`, undefined, [204]);
    const answer = await fleet.api.post("/api/v1/join", {
      token: created.token,
      name: "revoked",
      agentUrl: "http://127.0.0.1:1",
      secret: "a-secret-that-is-long-enough",
      endpoint: "198.18.0.1",
    });
    expect(answer.status).toBe(401);
  });
});
