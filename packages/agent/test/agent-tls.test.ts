// The agent over HTTPS, and secret rotation: the previous secret is accepted while it is listed, and a
// SIGHUP re-reads the secret file. No WireGuard needed: the agent runs on loopback with no interfaces.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandPrerequisite, missingPrerequisites } from "../../../test/support/privileges.js";
import {
  AgentRequestError,
  AgentUnreachableError,
  KeepAliveAgentHttp,
  keyIdForSecret,
} from "../src/client/index.js";
import { AgentProcess } from "../src/test-support/agent-process.js";

const skip = missingPrerequisites([commandPrerequisite("openssl")]);

describe.skipIf(skip)("wgfleet-agent over HTTPS, with secret rotation", () => {
  let agent: AgentProcess | null = null;
  /** Sockets that trust exactly the agent's self-signed certificate. */
  let trusting: KeepAliveAgentHttp;
  let certDir: string | null = null;
  const previousSecret = `previous-${Math.random().toString(16).slice(2)}-secret`;

  beforeAll(async () => {
    certDir = await mkdtemp(join(tmpdir(), "wgfleet-agent-tls-"));
    const cert = join(certDir, "cert.pem");
    const key = join(certDir, "key.pem");
    await promisify(execFile)("openssl", [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1"],
    ]);
    trusting = new KeepAliveAgentHttp({ ca: await readFile(cert) });
    agent = await AgentProcess.create({
      netns: null,
      listenHost: "127.0.0.1",
      port: 20_000 + Math.floor(Math.random() * 40_000),
      extraArgs: ["--tls-cert", cert, "--tls-key", key],
    });
    await writeFile(agent.secretFile, `${agent.secret}\n${previousSecret}\n`, { mode: 0o600 });
    await agent.start();
  });

  afterAll(async () => {
    trusting?.close();
    await agent?.dispose();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  it("answers signed calls over HTTPS", async () => {
    const client = (agent as AgentProcess).client({ http: trusting.request });
    const health = await client.health();
    expect(health.protocol).toBe("v1");
    expect(health.interfaces).toEqual([]);
  });

  it("refuses a certificate it was not told to trust (a TLS error, the request not sent)", async () => {
    const error = await (agent as AgentProcess)
      .client()
      .health()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentUnreachableError);
    expect(String((error as AgentUnreachableError).cause)).toMatch(/self[- ]signed certificate/i);
  });

  it("accepts the previous secret by its key id until a SIGHUP re-reads a file without it", async () => {
    const running = agent as AgentProcess;
    const old = running.client({
      http: trusting.request,
      keyId: keyIdForSecret(previousSecret),
      secret: previousSecret,
    });
    expect((await old.health()).protocol).toBe("v1");

    await writeFile(running.secretFile, `${running.secret}\n`, { mode: 0o600 });
    running.kill("SIGHUP");
    const deadline = Date.now() + 15_000;
    let rejected: AgentRequestError | null = null;
    while (!rejected && Date.now() < deadline) {
      rejected = await old.health().then(
        () => null,
        (e: unknown) => (e instanceof AgentRequestError ? e : null),
      );
      if (!rejected) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rejected?.status).toBe(401);
    expect(rejected?.body?.error.message).toMatch(/unknown_key_id/);
    expect((await running.client({ http: trusting.request }).health()).protocol).toBe("v1");
  });

  it("never logs either secret", async () => {
    const log = await (agent as AgentProcess).logText();
    expect(log).toContain("secrets reloaded");
    expect(log).not.toContain((agent as AgentProcess).secret);
    expect(log).not.toContain(previousSecret);
  });
});
