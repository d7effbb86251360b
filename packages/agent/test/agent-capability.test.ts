// `online` means "can serve": a real `wgfleet-agent` process run as an unprivileged user finds out by
// trying (a test interface created and deleted) whether it may manage WireGuard, and says so in its
// signed health. Without CAP_NET_ADMIN: not capable, with the system's reason. With it (still not
// root): capable, and a peer really is added. See AgentProcess `runAs` for what else wireguard-go needs.
import { generateKeyPair, type Health } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanupStale,
  createNamespace,
  type TestNamespace,
  uniqueName,
} from "../../../test/support/netns.js";
import {
  commandPrerequisite,
  missingPrerequisites,
  wireguardPrerequisites,
} from "../../../test/support/privileges.js";
import { AgentProcess } from "../src/test-support/agent-process.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("setpriv")]);
const PREFIX = "agc";

describe.skipIf(skip)("the agent's capability, found by trying", () => {
  let ns: TestNamespace | null = null;
  const agents: AgentProcess[] = [];
  const nodeNs = () => ns as TestNamespace;

  async function startAgent(netAdmin: boolean): Promise<AgentProcess> {
    const agent = await AgentProcess.create({
      netns: nodeNs().name,
      listenHost: nodeNs().nsAddress,
      port: 7443 + agents.length,
      runAs: { user: "nobody", group: "nogroup", netAdmin },
    });
    agents.push(agent);
    await agent.start();
    return agent;
  }

  async function health(agent: AgentProcess): Promise<Health> {
    return JSON.parse((await agent.client().send("GET", "v1/health")).text) as Health;
  }

  async function links(): Promise<string> {
    return (await nodeNs().exec("ip", ["-o", "link", "show"])).stdout;
  }

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    ns = await createNamespace(PREFIX);
  });

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const agent of agents) await agent.dispose().catch((error: unknown) => errors.push(error));
    await ns?.destroy().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, "capability test cleanup failed");
  });

  it("an unprivileged agent without CAP_NET_ADMIN reports that it cannot manage WireGuard, and why", async () => {
    const agent = await startAgent(false);
    const answer = await health(agent);
    expect(answer.capability?.ok).toBe(false);
    expect(answer.capability?.reason).toMatch(/not permitted/i);
    expect(await links()).not.toMatch(/wgfprobe/);
    await agent.stop();
  });

  it("a non-root agent with CAP_NET_ADMIN is capable and really adds a peer; the probe leaves nothing behind", async () => {
    const agent = await startAgent(true);
    const answer = await health(agent);
    expect(answer.capability).toEqual({ ok: true, reason: null });
    expect(await links()).not.toMatch(/wgfprobe/);

    const name = uniqueName(`${PREFIX}w`, 15);
    const client = agent.client();
    await client.putInterface({
      name,
      privateKey: generateKeyPair().privateKey,
      listenPort: 40000 + Math.floor(Math.random() * 20000),
      addresses: ["198.51.100.1/24"],
    });
    const peer = { publicKey: generateKeyPair().publicKey, allowedIps: ["198.51.100.2/32"] };
    await client.upsertPeer(name, peer);
    const live = (await client.listPeers(name)).map((p) => p.live?.publicKey);
    expect(live).toContain(peer.publicKey);
    expect(await links()).toContain(name);
    await client.deleteInterface(name);
    expect(await links()).not.toContain(name);
    await agent.stop();
  });
});
