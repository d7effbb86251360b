// Rotating the agent's shared secret over its own API, end to end with a real `wgfleet-agent` process
// on loopback: PUT /v1/secret (signed with the current secret) makes a new one current and keeps both
// accepted, also across a restart; DELETE /v1/secret/previous (signed with the new one) drops the old,
// after which a request signed with the old secret is refused with 401. Bad input changes nothing.
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentRequestError, keyIdForSecret } from "../src/client/index.js";
import { AgentProcess } from "../src/test-support/agent-process.js";

describe("the agent's secret rotation", () => {
  let agent: AgentProcess | null = null;
  const running = () => agent as AgentProcess;
  const fresh = randomBytes(32).toString("base64url");
  const signedWith = (secret: string) => running().client({ secret, keyId: keyIdForSecret(secret) });

  async function status(call: () => Promise<unknown>): Promise<number> {
    try {
      await call();
      return 200;
    } catch (error) {
      if (error instanceof AgentRequestError) return error.status;
      throw error;
    }
  }

  beforeAll(async () => {
    agent = await AgentProcess.create({
      netns: null,
      listenHost: "127.0.0.1",
      port: 20000 + Math.floor(Math.random() * 20000),
    });
    await running().start();
  }, 60_000);

  afterAll(async () => {
    await agent?.dispose();
  });

  it("answers 400 naming the field to a bad new secret, and keeps the file as it was", async () => {
    const before = await readFile(running().secretFile, "utf8");
    const cases: Array<[unknown, RegExp]> = [
      [{}, /secret: must be a string/],
      [{ secret: "short" }, /secret: must be 16-256 characters/],
      [{ secret: "has a space in the middle of it" }, /secret: must be printable ASCII/],
      [{ secret: "line\nbreak-in-the-secret-here" }, /secret: must be printable ASCII/],
      [{ secret: fresh, extra: 1 }, /extra: is not a known field/],
      [["not", "an", "object"], /body: must be a JSON object/],
    ];
    for (const [body, pattern] of cases) {
      const error = await running()
        .client()
        .send("PUT", "v1/secret", body)
        .catch((e: unknown) => e);
      expect(error, JSON.stringify(body)).toBeInstanceOf(AgentRequestError);
      expect((error as AgentRequestError).status).toBe(400);
      expect((error as AgentRequestError).message).toMatch(pattern);
    }
    expect(await readFile(running().secretFile, "utf8")).toBe(before);
  });

  it("keeps both secrets until the new one drops the old, also across a restart", async () => {
    const old = running().secret;
    const keyIds = await running().client().putSecret(fresh);
    expect(keyIds).toEqual([keyIdForSecret(fresh), keyIdForSecret(old)]);
    expect((await stat(running().secretFile)).mode & 0o777).toBe(0o600);
    // Both sign: the dashboard's requests in flight with the old key still land.
    await signedWith(old).health();
    await signedWith(fresh).health();

    await running().kill9();
    await running().start();
    await signedWith(old).health();
    await signedWith(fresh).health();

    // Only a request signed with the new secret may end the rotation.
    expect(await status(() => signedWith(old).dropPreviousSecret())).toBe(409);
    await signedWith(old).health();
    expect(await signedWith(fresh).dropPreviousSecret()).toEqual([keyIdForSecret(fresh)]);
    expect(await status(() => signedWith(old).health())).toBe(401);
    await signedWith(fresh).health();

    await running().stop();
    await running().start();
    expect(await status(() => signedWith(old).health())).toBe(401);
    await signedWith(fresh).health();
  }, 120_000);

  it("never wrote a secret to its log", async () => {
    const log = await running().logText();
    expect(log).toContain("secrets reloaded");
    expect(log).not.toContain(fresh);
    expect(log).not.toContain(running().secret);
  });
});
