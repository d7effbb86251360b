import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPair, NonceCache, type SignatureError, verifyRequest } from "@wgfleet/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  AgentAnswerError,
  AgentClient,
  AgentHttpTimeoutError,
  AgentRequestError,
  AgentUnreachableError,
  keyIdForSecret,
} from "./index.js";

const SECRET = "agent-client-test-secret-0123456789";
const KEY_ID = keyIdForSecret(SECRET);

interface Seen {
  method: string;
  url: string;
  body: string;
  keyId: string;
}

/** A small HTTP server that checks signatures the way an agent does and records what it saw. */
async function startVerifyingServer(answer: (seen: Seen) => { status: number; body: string }) {
  const nonces = new NonceCache();
  const seen: Seen[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const { keyId } = verifyRequest({
        method: request.method ?? "",
        pathWithQuery: request.url ?? "",
        body,
        headers: request.headers,
        secrets: new Map([[KEY_ID, SECRET]]),
        nonces,
      });
      const entry = { method: request.method ?? "", url: request.url ?? "", body: body.toString(), keyId };
      seen.push(entry);
      const { status, body: text } = answer(entry);
      response.writeHead(status, { "content-type": "application/json" }).end(text);
    } catch (error) {
      const e = error as SignatureError;
      response.writeHead(401).end(JSON.stringify(e.toBody()));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("AgentClient", () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
    server = null;
  });

  it("derives the key id from the secret: first 8 hex digits of SHA-256", () => {
    expect(keyIdForSecret("abc")).toBe("ba7816bf");
  });

  it("signs every call so that the agent's verifier accepts it, with percent-encoded keys and the revision", async () => {
    const started = await startVerifyingServer(() => ({ status: 200, body: '{"revision":1}' }));
    server = started.server;
    const client = new AgentClient({ baseUrl: started.url, keyId: KEY_ID, secret: SECRET });
    const peer = { publicKey: generateKeyPair().publicKey, allowedIps: ["198.51.100.2/32"] };
    await client.upsertPeer("wg0", peer, 7);
    await client.removePeer("wg0", peer.publicKey);
    await client.batch("wg0", { upsert: [peer], remove: [] }, 8);
    expect(started.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      `PUT /v1/interfaces/wg0/peers/${encodeURIComponent(peer.publicKey)}?revision=7`,
      `DELETE /v1/interfaces/wg0/peers/${encodeURIComponent(peer.publicKey)}`,
      "POST /v1/interfaces/wg0/peers/batch?revision=8",
    ]);
    expect(JSON.parse(started.seen[0]?.body ?? "")).toEqual(peer);
    expect(started.seen[1]?.body).toBe("");
    expect(started.seen.every((s) => s.keyId === KEY_ID)).toBe(true);
  });

  it("keeps a path prefix of the base URL", async () => {
    const started = await startVerifyingServer(() => ({ status: 200, body: "[]" }));
    server = started.server;
    const client = new AgentClient({ baseUrl: `${started.url}/agent1`, keyId: KEY_ID, secret: SECRET });
    expect(await client.listInterfaces()).toEqual([]);
    expect(started.seen[0]?.url).toBe("/agent1/v1/interfaces");
  });

  it("throws AgentRequestError with the status and the agent's error body", async () => {
    const body = {
      error: { code: "VALIDATION", message: "peer.allowedIps[0]: not a CIDR", field: "peer.allowedIps[0]" },
    };
    const started = await startVerifyingServer(() => ({ status: 400, body: JSON.stringify(body) }));
    server = started.server;
    const client = new AgentClient({ baseUrl: started.url, keyId: KEY_ID, secret: SECRET });
    const error = await client.deleteInterface("wg0").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentRequestError);
    expect((error as AgentRequestError).status).toBe(400);
    expect((error as AgentRequestError).body).toEqual(body);
    expect(String(error)).toContain("not a CIDR");
  });

  it("is rejected with the reason when its secret is wrong, and never puts the secret in the error", async () => {
    const started = await startVerifyingServer(() => ({ status: 200, body: "{}" }));
    server = started.server;
    const wrong = "a-wrong-secret-0123456789abcdef";
    const client = new AgentClient({ baseUrl: started.url, keyId: KEY_ID, secret: wrong });
    const error = (await client.health().catch((e: unknown) => e)) as AgentRequestError;
    expect(error.status).toBe(401);
    expect(error.body?.error.message).toMatch(/bad_signature/);
    expect(String(error)).not.toContain(wrong);
  });

  it("throws AgentUnreachableError when nothing listens or the agent does not answer in time", async () => {
    const closed = new AgentClient({ baseUrl: "http://127.0.0.1:9", keyId: KEY_ID, secret: SECRET });
    await expect(closed.health()).rejects.toBeInstanceOf(AgentUnreachableError);

    server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const slow = new AgentClient({
      baseUrl: `http://127.0.0.1:${port}`,
      keyId: KEY_ID,
      secret: SECRET,
      timeoutMs: 200,
    });
    const error = await slow.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentUnreachableError);
    expect((error as AgentUnreachableError).cause).toBeInstanceOf(AgentHttpTimeoutError);
    expect(String(error)).toMatch(/timed out/);
    server.closeAllConnections();
  });

  it("never follows a redirect: a 3xx is AgentAnswerError and nothing reaches the other origin", async () => {
    let elsewhereHits = 0;
    const elsewhere = createServer((_request, response) => {
      elsewhereHits++;
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/v1/health`;
    try {
      for (const status of [301, 302, 307, 308]) {
        server = createServer((_request, response) => response.writeHead(status, { location: target }).end());
        await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as AddressInfo).port;
        const client = new AgentClient({
          baseUrl: `http://127.0.0.1:${port}`,
          keyId: KEY_ID,
          secret: SECRET,
        });
        const error = await client.putSecret("x".repeat(32)).catch((e: unknown) => e);
        expect(error, String(status)).toBeInstanceOf(AgentAnswerError);
        expect(String(error)).toMatch(new RegExp(`answered ${status} \\(a redirect\\) to PUT /v1/secret`));
        server.closeAllConnections();
        await new Promise((resolve) => server?.close(resolve));
        server = null;
      }
      expect(elsewhereHits).toBe(0);
    } finally {
      elsewhere.closeAllConnections();
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });

  it("refuses an answer past the call's cap with AgentAnswerError", async () => {
    const started = await startVerifyingServer(() => ({
      status: 200,
      body: JSON.stringify("x".repeat(200)),
    }));
    server = started.server;
    const client = new AgentClient({ baseUrl: started.url, keyId: KEY_ID, secret: SECRET });
    const error = await client.send("GET", "v1/health", undefined, undefined, 100).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentAnswerError);
    expect(String(error)).toMatch(/GET \/v1\/health is larger than 100 bytes/);
  });
});
