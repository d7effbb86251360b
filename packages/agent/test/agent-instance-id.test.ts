// The agent's persistent instance id, end to end: a real `wgfleet-agent` process reports it in its
// signed /v1/health; it survives restarts and changes when the state dir is wiped. Loopback only.
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { type Health, HealthSchema } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTANCE_ID_FILE } from "../src/identity/instance-id.js";
import { AgentProcess } from "../src/test-support/agent-process.js";

describe("the agent's instance id", () => {
  let agent: AgentProcess | null = null;
  const running = () => agent as AgentProcess;

  async function health(): Promise<Health> {
    const answer = await running().client().send("GET", "v1/health");
    const parsed = JSON.parse(answer.text) as unknown;
    expect(Value.Check(HealthSchema, parsed)).toBe(true);
    return parsed as Health;
  }

  beforeAll(async () => {
    agent = await AgentProcess.create({
      netns: null,
      listenHost: "127.0.0.1",
      port: 20000 + Math.floor(Math.random() * 20000),
    });
  });

  afterAll(async () => {
    await agent?.dispose();
  });

  it("is stable across restarts, kept in a 0600 file, and new after the state dir is wiped", async () => {
    await running().start();
    const first = (await health()).instanceId;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const file = join(running().stateDir, INSTANCE_ID_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await running().stop();
    await running().start();
    expect((await health()).instanceId).toBe(first);
    await running().kill9();
    await running().start();
    expect((await health()).instanceId).toBe(first);

    await running().stop();
    await rm(running().stateDir, { recursive: true, force: true });
    await running().start();
    const afterWipe = (await health()).instanceId;
    expect(afterWipe).toMatch(/^[0-9a-f-]{36}$/);
    expect(afterWipe).not.toBe(first);
  }, 240_000);

  it("an older agent's health (no instanceId) still validates", async () => {
    const { instanceId: _dropped, ...older } = await health();
    expect(Value.Check(HealthSchema, older)).toBe(true);
  });
});
