// The remote transport against real HTTP servers on loopback that answer the way a failing agent does
// (500 with its error body, 401 naming the signature check, a hang, a dropped connection, nothing
// listening): each failure leaves as the API's error with the reason, idempotent calls are retried
// after a connection failure only, and no message carries the secret or a key.
import type { IncomingMessage, ServerResponse } from "node:http";
import { generateKeyPair, NodeCallError, NodeUnavailableError } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { useLoopbackServers } from "../../../../test/support/loopback-servers.js";
import { NodeAgentError } from "./agent-errors.js";
import { RemoteTransport } from "./remote-transport.js";

const SECRET = "remote-transport-secret-0123456789";

type Handler = (request: IncomingMessage, response: ServerResponse, hit: number) => void;

describe("the remote transport's error mapping", () => {
  const servers = useLoopbackServers();

  /** A loopback server; `hits` counts requests, `sockets` the connections opened and closed. */
  async function agent(handler: Handler) {
    let hits = 0;
    const sockets = { opened: 0, closed: 0 };
    const { server, url } = await servers.listen((request, response) => {
      hits++;
      request.resume();
      handler(request, response, hits);
    });
    server.on("connection", (socket) => {
      sockets.opened++;
      socket.on("close", () => sockets.closed++);
    });
    return {
      url,
      hits: () => hits,
      sockets,
    };
  }

  /** Calls that should be answered get a roomy timeout: a loaded test machine is slow to connect. */
  function transport(url: string, timeoutMs = 3_000): RemoteTransport {
    return new RemoteTransport({
      nodeId: "n-1",
      nodeName: "node1",
      agentUrl: url,
      keyId: "abcd1234",
      secret: SECRET,
      timeoutMs,
      retries: 2,
      backoffMs: 10,
    });
  }

  async function failure(work: Promise<unknown>): Promise<Error> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error, "the call should have failed").toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).not.toContain(SECRET);
    expect(message).not.toMatch(/[A-Za-z0-9+/]{43}=/);
    return error as Error;
  }

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const peer = () => ({ publicKey: generateKeyPair().publicKey, allowedIps: ["198.51.100.2/32"] });

  it("maps an agent's 500 to NODE_ERROR (502) with the agent's message, keys scrubbed, sent once", async () => {
    const key = generateKeyPair().publicKey;
    const server = await agent((_request, response) =>
      json(response, 500, {
        error: { code: "INTERNAL", message: `wg set failed for peer ${key}: no device` },
      }),
    );
    const error = await failure(transport(server.url).upsertPeers("wg0", [peer()], 2));
    expect(error).toBeInstanceOf(NodeCallError);
    expect(error).toMatchObject({ code: "NODE_ERROR", status: 502, agentStatus: 500 });
    expect(error.message).toMatch(
      /node "node1": the agent answered 500: wg set failed for peer <key>: no device/,
    );
    expect(server.hits()).toBe(1);
  });

  it("maps a refused signature to NODE_ERROR naming the check and what to do", async () => {
    const server = await agent((_request, response) =>
      json(response, 401, {
        error: {
          code: "UNAUTHORIZED",
          message: "request signature rejected (bad_signature): signature mismatch",
        },
      }),
    );
    const error = await failure(transport(server.url).health());
    expect(error).toBeInstanceOf(NodeAgentError);
    expect((error as NodeAgentError).signatureFailure).toBe("bad_signature");
    expect(error.message).toMatch(/refused the dashboard's signature \(bad_signature\).*secret/);
  });

  it("maps a hanging agent to NODE_UNAVAILABLE (503) after the timeout, without a retry", async () => {
    const server = await agent(() => {
      // never answers
    });
    const error = await failure(
      transport(server.url, 1_500).applyInterfaceState({
        revision: 1,
        interface: {
          name: "wg0",
          privateKey: generateKeyPair().privateKey,
          listenPort: 51820,
          addresses: ["198.51.100.1/24"],
        },
        peers: [],
      }),
    );
    expect(error).toBeInstanceOf(NodeUnavailableError);
    expect(error).toMatchObject({ code: "NODE_UNAVAILABLE", status: 503 });
    expect(error.message).toMatch(/node "node1" is unreachable: no answer within 1\.5 s/);
    expect(server.hits()).toBe(1);
  });

  it("maps nothing listening to NODE_UNAVAILABLE: connection refused", async () => {
    const url = await servers.closedUrl();
    const error = await failure(transport(url).removePeers("wg0", [generateKeyPair().publicKey], 3));
    expect(error).toBeInstanceOf(NodeUnavailableError);
    expect(error.message).toMatch(/is unreachable: connection refused/);
  });

  it("retries an idempotent call after a dropped connection, and then succeeds", async () => {
    const server = await agent((request, response, hit) => {
      if (hit === 1) {
        request.socket.destroy();
        return;
      }
      json(response, 200, { revision: 2 });
    });
    await transport(server.url).upsertPeers("wg0", [peer()], 2);
    expect(server.hits()).toBe(2);
  });

  it("keeps one socket to the node for sequential calls (health included) and closes it with the transport", async () => {
    const server = await agent((request, response) =>
      request.url === "/v1/health"
        ? json(response, 401, { error: { code: "UNAUTHORIZED", message: "request signature rejected" } })
        : json(response, 200, { revision: 2 }),
    );
    const remote = transport(server.url);
    for (let revision = 2; revision < 6; revision++) await remote.upsertPeers("wg0", [peer()], revision);
    await failure(remote.health({ retry: false }));
    expect(server.hits()).toBe(5);
    expect(server.sockets).toEqual({ opened: 1, closed: 0 });
    remote.close();
    const deadline = Date.now() + 5_000;
    while (server.sockets.closed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(server.sockets).toEqual({ opened: 1, closed: 1 });
  });

  it("treats an interface the agent does not know as having no peers and as already removed", async () => {
    const server = await agent((_request, response) =>
      json(response, 404, { error: { code: "NOT_FOUND", message: "interface wg9 not found" } }),
    );
    const remote = transport(server.url);
    expect(await remote.readPeers("wg9")).toEqual([]);
    await remote.removeInterface("wg9");
  });

  it("refuses a health answer that is not protocol v1", async () => {
    const server = await agent((_request, response) => json(response, 200, { version: "9", protocol: "v9" }));
    const error = await failure(transport(server.url).health({ retry: false }));
    expect(error).toBeInstanceOf(NodeCallError);
    expect(error.message).toMatch(/not protocol v1/);
  });

  it("with writes blocked, refuses every change without a request (503 naming the node and why); reads still go", async () => {
    const server = await agent((_request, response) =>
      json(response, 404, { error: { code: "NOT_FOUND", message: "interface wg9 not found" } }),
    );
    const remote = transport(server.url);
    remote.blockWrites("a different agent answers here");
    const changes: Array<Promise<unknown>> = [
      remote.upsertPeers("wg9", [peer()], 2),
      remote.removePeers("wg9", [peer().publicKey], 2),
      remote.removeInterface("wg9"),
      remote.reconcile("wg9"),
    ];
    for (const change of changes) {
      const error = await failure(change);
      expect(error).toBeInstanceOf(NodeUnavailableError);
      expect(error.message).toMatch(/node1.*a different agent answers here/);
    }
    expect(server.hits()).toBe(0);
    expect(await remote.readPeers("wg9")).toEqual([]);
    expect(server.hits()).toBe(1);
    remote.blockWrites(null);
    await remote.removeInterface("wg9");
    expect(server.hits()).toBe(2);
  });
});
