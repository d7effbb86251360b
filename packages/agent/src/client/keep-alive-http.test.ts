// KeepAliveAgentHttp against real node:http servers on loopback: one socket carries sequential calls,
// an answer past the cap is refused (a declared length before any of the body is read, a streamed body
// once past the cap) and its socket destroyed, a late answer times out, and close() ends the sockets.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { useLoopbackServers } from "../../../../test/support/loopback-servers.js";
import { AgentAnswerError, type AgentHttpRequest, AgentHttpTimeoutError } from "./agent-http.js";
import { KeepAliveAgentHttp } from "./keep-alive-http.js";

interface Loopback {
  url: string;
  /** Sockets the server accepted, in order. */
  sockets: Socket[];
  /** Sockets the server saw closed. */
  closed: () => number;
}

describe("KeepAliveAgentHttp", () => {
  // Registered first, so its afterEach runs after the pools' (vitest runs after-hooks as a stack).
  const servers = useLoopbackServers();
  const pools: KeepAliveAgentHttp[] = [];
  afterEach(() => {
    for (const pool of pools.splice(0)) pool.close();
  });

  async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
    const { server, url } = await servers.listen((request, response) => {
      request.resume();
      handler(request, response);
    });
    const sockets: Socket[] = [];
    let closed = 0;
    server.on("connection", (socket: Socket) => {
      sockets.push(socket);
      socket.on("close", () => closed++);
    });
    const loopback: Loopback = {
      url,
      sockets,
      closed: () => closed,
    };
    return loopback;
  }

  function pool(): KeepAliveAgentHttp {
    const made = new KeepAliveAgentHttp();
    pools.push(made);
    return made;
  }

  const request = (url: string, overrides: Partial<AgentHttpRequest> = {}): AgentHttpRequest => ({
    method: "GET",
    url: new URL("/v1/health", url),
    headers: {},
    timeoutMs: 3_000,
    maxAnswerBytes: 1024,
    ...overrides,
  });

  async function waitFor(what: string, check: () => boolean): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("sends sequential calls over one socket, body and headers as given", async () => {
    const seen: string[] = [];
    const server = await serve((incoming, response) => {
      seen.push(`${incoming.method} ${incoming.url} ${incoming.headers["x-wgfleet-key-id"]}`);
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    const http = pool();
    for (let i = 0; i < 5; i++) {
      const answer = await http.request(
        request(server.url, {
          method: "PUT",
          url: new URL(`/v1/peers/${i}?revision=${i}`, server.url),
          headers: { "x-wgfleet-key-id": "abcd1234", "content-type": "application/json" },
          body: `{"n":${i}}`,
        }),
      );
      expect(answer).toEqual({ status: 200, text: '{"ok":true}' });
    }
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `PUT /v1/peers/${i}?revision=${i} abcd1234`));
    expect(server.sockets).toHaveLength(1);
  });

  it("refuses an answer whose declared length passes the cap without reading it, and drops the socket", async () => {
    const server = await serve((_incoming, response) => {
      // The head only: a client that waited for the body would run into its timeout.
      response.writeHead(200, { "content-length": String(10 * 1024 * 1024) });
      response.flushHeaders();
    });
    const started = Date.now();
    const error = await pool()
      .request(request(server.url, { timeoutMs: 10_000 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentAnswerError);
    expect(String(error)).toMatch(/GET \/v1\/health is larger than 1024 bytes/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor("the socket closed", () => server.closed() === 1);
  });

  it("cuts a streamed answer off once past the cap and destroys its socket", async () => {
    let written = 0;
    const server = await serve((_incoming, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(16 * 1024, "a");
      const pump = () => {
        while (!response.destroyed && written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
      };
      pump();
    });
    const error = await pool()
      .request(request(server.url, { maxAnswerBytes: 64 * 1024 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentAnswerError);
    expect(String(error)).toMatch(/larger than 65536 bytes/);
    await waitFor("the socket closed", () => server.closed() === 1);
    // Stopped by the closed socket, far from the 256 MiB the server would send.
    expect(written).toBeLessThan(32 * 1024 * 1024);
  });

  it("gives up after the timeout with AgentHttpTimeoutError and destroys the socket", async () => {
    const server = await serve(() => {
      // never answers
    });
    const started = Date.now();
    const error = await pool()
      .request(request(server.url, { timeoutMs: 300 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentHttpTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await waitFor("the socket closed", () => server.closed() === 1);
  });

  it("fails with node's error code when nothing listens", async () => {
    const url = await servers.closedUrl();
    const error = await pool()
      .request(request(url))
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("ECONNREFUSED");
  });

  it("reports an answer cut short as a closed connection (ECONNRESET)", async () => {
    const server = await serve((incoming, response) => {
      response.writeHead(200, { "content-length": "100" });
      response.write("only part of it");
      setTimeout(() => incoming.socket.destroy(), 50);
    });
    const error = await pool()
      .request(request(server.url))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe("ECONNRESET");
  });

  it("close() ends its idle sockets; a call after it still works, on a socket closed after use", async () => {
    const server = await serve((_incoming, response) => response.writeHead(204).end());
    const http = pool();
    expect((await http.request(request(server.url))).status).toBe(204);
    http.close();
    await waitFor("the idle socket closed", () => server.closed() === 1);
    expect(await http.request(request(server.url))).toEqual({ status: 204, text: "" });
    await waitFor("the late call's socket closed", () => server.closed() === 2);
  });

  it("refuses a URL that is not http: or https:", async () => {
    const error = await pool()
      .request(request("dial-out://node-1"))
      .catch((e: unknown) => e);
    expect(String(error)).toMatch(/dial-out: is not an agent URL scheme/);
  });
});
