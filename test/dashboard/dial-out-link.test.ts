// The dial-out carrier on its own, over real sockets on loopback: the agent's DashboardLink dials the
// dashboard's agent-connect endpoint with a signed upgrade, and the dashboard's signed AgentClient
// reaches the agent's dispatch through AgentConnections.httpFor — the agent's own signature check
// included. A wrong secret is refused at the upgrade; a dropped connection fails what waits on it and
// is dialled again; a slow answer runs into the client's timeout. (The whole path with real WireGuard,
// namespaces and a cut network is test/multinode/dial-out.test.ts.)
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AgentAnswerError,
  AgentClient,
  AgentRequestError,
  AgentUnreachableError,
} from "@wgfleet/agent/client";
import { keyIdForSecret } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardLink } from "../../packages/agent/src/dial-out/dashboard-link.js";
import { Authenticator } from "../../packages/agent/src/http/auth.js";
import type { Route } from "../../packages/agent/src/http/routes.js";
import { dispatchContext } from "../../packages/agent/src/http/server.js";
import { createLogger } from "../../packages/agent/src/logging/logger.js";
import { serveAgentConnect } from "../../packages/dashboard/src/dial-out/agent-connect.js";
import { AgentConnections } from "../../packages/dashboard/src/dial-out/agent-connections.js";
import { eventually } from "../fleet/wait.js";

const SECRET = "dial-out-test-secret-0123456789";
const KEY_ID = keyIdForSecret(SECRET);
const OTHER = "another-secret-entirely-9876543210";
const NODE = "node-dialling";

const routes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/echo/:word",
    bodyLimit: 1024,
    handle: async (input) => ({ kind: "json", value: { word: input.params.word, keyId: input.keyId } }),
  },
  {
    method: "PUT",
    pattern: "/v1/body",
    bodyLimit: 1024,
    handle: async (input) => ({ kind: "json", value: { got: input.body() } }),
  },
  {
    method: "GET",
    pattern: "/v1/slow",
    bodyLimit: 1024,
    handle: () => new Promise((resolve) => setTimeout(() => resolve({ kind: "json", value: 1 }), 1_500)),
  },
];

describe("the dial-out carrier (agent link ↔ dashboard connections, loopback)", () => {
  let server: Server;
  let stopConnect: () => void;
  const connections = new AgentConnections();
  const connected: string[] = [];
  const links: DashboardLink[] = [];

  const client = (options: { secret?: string; timeoutMs?: number } = {}) =>
    new AgentClient({
      baseUrl: `dial-out://${NODE}`,
      keyId: keyIdForSecret(options.secret ?? SECRET),
      secret: options.secret ?? SECRET,
      timeoutMs: options.timeoutMs ?? 5_000,
      http: connections.httpFor(NODE),
    });

  const startLink = async (secret: string) => {
    const { logger } = await createLogger({ format: "json", level: "silent" });
    const auth = new Authenticator(new Map([[KEY_ID, SECRET]]));
    const address = server.address() as AddressInfo;
    const link = new DashboardLink({
      dashboard: new URL(`http://127.0.0.1:${address.port}`),
      credentials: () => ({ keyId: keyIdForSecret(secret), secret }),
      dispatch: dispatchContext({ routes, auth, logger }),
      logger,
      retryMs: { first: 50, max: 200 },
    });
    links.push(link);
    link.start();
    return link;
  };

  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    connections.onChange({ connected: (id) => connected.push(id), disconnected: () => {} });
    stopConnect = serveAgentConnect(server, {
      connections,
      nodes: {
        secretByKeyId: async (keyId) =>
          keyId === KEY_ID ? { nodeId: NODE, name: NODE, secret: SECRET } : null,
      },
      logger: { info: () => {}, warn: () => {} },
    });
  });

  afterAll(async () => {
    await Promise.all(links.map((link) => link.stop()));
    stopConnect();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("fails like a refused connection while the agent has not dialled in", async () => {
    const error = await client()
      .send("GET", "v1/echo/early")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentUnreachableError);
    expect(String((error as Error).message)).toMatch(/not connected/);
  });

  it("refuses an upgrade signed with a secret no dial-out node has", async () => {
    const stranger = await startLink(OTHER);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(connected).toEqual([]);
    expect(stranger.connected).toBe(false);
    await stranger.stop();
  });

  it("carries signed requests to the agent's dispatch and its answers back", async () => {
    await startLink(SECRET);
    await eventually(async () => connections.get(NODE) !== null, "the agent connected");
    expect(connected).toEqual([NODE]);
    const echo = await client().send("GET", "v1/echo/hello%20there");
    expect(JSON.parse(echo.text)).toEqual({ word: "hello there", keyId: KEY_ID });
    const put = await client().send("PUT", "v1/body", { peers: ["a", "b"] });
    expect(JSON.parse(put.text)).toEqual({ got: { peers: ["a", "b"] } });
    // The agent checks the signature itself: a request signed with another secret is its 401.
    const refused = await client({ secret: OTHER })
      .send("GET", "v1/echo/x")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgentRequestError);
    expect((refused as AgentRequestError).status).toBe(401);
    const missing = await client()
      .send("GET", "v1/nothing")
      .catch((e: unknown) => e);
    expect((missing as AgentRequestError).status).toBe(404);
    // The answer cap holds over the socket as over HTTP.
    const capped = await client()
      .send("GET", `v1/echo/${"w".repeat(100)}`, undefined, undefined, 64)
      .catch((e: unknown) => e);
    expect(capped).toBeInstanceOf(AgentAnswerError);
    expect(String(capped)).toMatch(/is larger than 64 bytes/);
  });

  it("times out like HTTP, fails what waits on a dropped connection, and is dialled again", async () => {
    const slow = await client({ timeoutMs: 200 })
      .send("GET", "v1/slow")
      .catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(AgentUnreachableError);
    expect((slow as Error).message).toMatch(/timed out/);

    const waiting = client()
      .send("GET", "v1/slow")
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    connections.drop(NODE, "test cut");
    expect(await waiting).toBeInstanceOf(AgentUnreachableError);
    await eventually(async () => connected.length === 2 && connections.get(NODE) !== null, "dialled again", {
      timeoutMs: 10_000,
    });
    const after = await client().send("GET", "v1/echo/again");
    expect(JSON.parse(after.text).word).toBe("again");
  });
});
