// The dashboard's side of "online means can serve": `/test`'s diagnosis of a real agent that answers
// every signed call but may not manage WireGuard (run as nobody without CAP_NET_ADMIN) names the
// `capability` problem with the agent's reason, instead of passing. (Health polling marks such a node
// degraded from the same health field; `auto` passes degraded nodes by.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentProcess } from "../../packages/agent/src/test-support/agent-process.js";
import { diagnoseAgent } from "../../packages/dashboard/src/nodes/node-diagnosis.js";
import { cleanupStale, createNamespace, type TestNamespace } from "../support/netns.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";

const skip = missingPrerequisites([...wireguardPrerequisites(), commandPrerequisite("setpriv")]);
const PREFIX = "ncap";

describe.skipIf(skip)("node /test against an agent that cannot manage WireGuard", () => {
  let ns: TestNamespace | null = null;
  let agent: AgentProcess | null = null;

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    ns = await createNamespace(PREFIX);
    agent = await AgentProcess.create({
      netns: ns.name,
      listenHost: ns.nsAddress,
      runAs: { user: "nobody", group: "nogroup", netAdmin: false },
    });
    await agent.start();
  });

  afterAll(async () => {
    await agent?.dispose();
    await ns?.destroy();
  });

  it("names the capability problem and the system's reason", async () => {
    const running = agent as AgentProcess;
    const diagnosis = await diagnoseAgent(
      { agentUrl: running.baseUrl, keyId: running.keyId, secret: running.secret },
      { timeoutMs: 10_000, maxClockSkewMs: 10_000, dashboardVersion: "0.1.0" },
    );
    expect(diagnosis.secret).toBe("ok");
    expect(diagnosis.ok).toBe(false);
    expect(diagnosis.problem).toBe("capability");
    expect(diagnosis.message).toMatch(/cannot manage WireGuard: .*not permitted/i);
  });
});
