// An interface the agent does not manage, end to end with real wireguard-go in a namespace: a new
// interface whose name a foreign one already holds is refused and leaves no desired state (the foreign
// one untouched, also after drift repair runs); the foreign one is reported as a stray in health and
// the signed stray route deletes it, while it refuses an interface the agent manages.
import { generateKeyPair, type Health, type InterfaceSpec } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bringUpClient,
  cleanupStale,
  createNamespace,
  type TestNamespace,
  uniqueName,
} from "../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../test/support/privileges.js";
import { AgentRequestError } from "../src/client/index.js";
import { AgentProcess } from "../src/test-support/agent-process.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "agf";
const DRIFT_SECONDS = 1;

async function rejection(work: Promise<unknown>): Promise<AgentRequestError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentRequestError);
  return error as AgentRequestError;
}

describe.skipIf(skip)("an interface the agent does not manage", () => {
  const foreignName = uniqueName(`${PREFIX}x`, 15);
  const foreignKeys = generateKeyPair();
  const foreignPort = 40000 + Math.floor(Math.random() * 10000);
  let node: TestNamespace | null = null;
  let agent: AgentProcess | null = null;
  const running = () => agent as AgentProcess;

  async function health(): Promise<Health> {
    return running().client().health();
  }

  async function foreignPublicKey(): Promise<string | null> {
    const ns = node as TestNamespace;
    const answer = await ns.exec("wg", ["show", foreignName, "public-key"]).catch(() => null);
    return answer ? answer.stdout.trim() : null;
  }

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    node = await createNamespace(PREFIX);
    const config = [
      "[Interface]",
      `PrivateKey = ${foreignKeys.privateKey}`,
      "Address = 198.19.77.1/24",
      `ListenPort = ${foreignPort}`,
      "",
    ].join("\n");
    await bringUpClient(node, config, foreignName);
    agent = await AgentProcess.create({
      netns: node.name,
      listenHost: node.nsAddress,
      driftIntervalSeconds: DRIFT_SECONDS,
    });
    await agent.start();
  }, 120_000);

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const step of [() => agent?.dispose(), () => node?.destroy()]) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, "foreign interface test cleanup failed");
  });

  it("refuses a new interface whose name a foreign interface holds, keeps no desired state and leaves the foreign one untouched", async () => {
    const spec: InterfaceSpec = {
      name: foreignName,
      privateKey: generateKeyPair().privateKey,
      listenPort: foreignPort + 1,
      addresses: ["198.19.78.1/24"],
    };
    const refused = await rejection(
      running().client().putState(foreignName, { revision: 1, interface: spec, peers: [] }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body?.error.message).toMatch(/not managed/);
    // Longer than the drift interval: a kept desired state would have taken the interface over by now.
    await new Promise((resolve) => setTimeout(resolve, (DRIFT_SECONDS * 3 + 1) * 1000));
    expect((await health()).interfaces.map((i) => i.name)).not.toContain(foreignName);
    const listed = (await running().client().listInterfaces()) as Array<{ name: string }>;
    expect(listed.map((i) => i.name)).not.toContain(foreignName);
    expect(await foreignPublicKey()).toBe(foreignKeys.publicKey);
  }, 60_000);

  it("reports the foreign interface as stray, refuses to delete a managed one that way, and deletes the stray", async () => {
    expect((await health()).strayInterfaces).toEqual([foreignName]);

    const managedName = uniqueName(`${PREFIX}m`, 15);
    const managed: InterfaceSpec = {
      name: managedName,
      privateKey: generateKeyPair().privateKey,
      listenPort: foreignPort + 2,
      addresses: ["198.19.79.1/24"],
    };
    await running().client().putInterface(managed);
    expect((await health()).strayInterfaces).toEqual([foreignName]);
    expect((await rejection(running().client().deleteStrayInterface(managedName))).status).toBe(409);
    expect((await health()).interfaces.map((i) => i.name)).toContain(managedName);

    await running().client().deleteStrayInterface(foreignName);
    expect(await foreignPublicKey()).toBeNull();
    expect((await health()).strayInterfaces).toEqual([]);
    expect((await rejection(running().client().deleteStrayInterface(foreignName))).status).toBe(404);
    await running().client().deleteInterface(managedName);
  }, 60_000);
});
