// Issue 17 acceptance, joining as an agent that dials out: an admin makes a join token through the API;
// a real agent inside a node's namespace — which nothing outside can call into — runs
// `wgfleet-agent join --dial-out` without --listen and reaches the dashboard only through a forwarder
// on the namespace's veth (as in dial-out.test.ts). Bad join bodies are refused naming the field and
// leave the token unused and no node. The agent joins: the node has connection `dial-out` and no agent
// URL and goes `online` over the agent's own connection, with no TCP port open in the namespace. Then the
// agent is run as the packaged unit runs it, from the settings file join wrote alone (`--config FILE`,
// no --listen): online again on a new connection, a peer created through it is live in `wg show`, and
// the token cannot be used again.
import { readFile, stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Fleet, type FleetNode } from "../fleet/harness.js";
import { useFleet } from "../fleet/suite.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import type { TcpForwarder } from "../support/tcp-forwarder.js";
import { type ApiNode, dialOutDashboardEnv } from "./dial-out-node.js";
import {
  apiError,
  createConfiguration,
  createPeer,
  expectLive,
  forwardDashboard,
  placeConfiguration,
} from "./support.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const CONFIG = "jdial";
const PORT = 51870;
const POOL = "198.19.16.0/24";
const NAME = "joined-dialing";

interface ApiToken {
  id: string;
  status: string;
  nodeId: string | null;
}

describe.skipIf(skip)("joining as an agent that dials out (issue 17)", () => {
  const current = useFleet({
    nodes: 1,
    prefix: "jd",
    dashboard: { env: dialOutDashboardEnv() },
  });
  let forwarder: TcpForwarder | null = null;
  /** Where the agent in the namespace reaches the dashboard: through the forwarder. */
  let dashboardUrl = "";
  const fleet = (): Fleet => current();
  const node = (): FleetNode => fleet().node(0);

  const nodeNamed = async (name: string): Promise<ApiNode | null> => {
    const listed = await fleet().api.expect<{ items: ApiNode[] }>("GET", "/api/v1/nodes", undefined, [200]);
    return listed.json.items.find((item) => item.name === name) ?? null;
  };
  const tokenStatus = async (id: string): Promise<ApiToken | undefined> => {
    const listed = await fleet().api.expect<{ items: ApiToken[] }>("GET", "/api/v1/join-tokens");
    return listed.json.items.find((token) => token.id === id);
  };
  /** The TCP sockets listening in the node's namespace: the agent is the only program there. */
  const tcpListeners = async (): Promise<string> =>
    (await node().ns.exec("ss", ["-H", "-l", "-t", "-n"])).stdout.trim();

  beforeAll(async () => {
    // The fleet started node1 as an ordinary agent: this test starts it again by joining.
    await node().stopAgent();
    ({ forwarder, url: dashboardUrl } = await forwardDashboard(fleet(), node()));
  }, 60_000);

  afterAll(async () => {
    await forwarder?.stop();
  });

  it("joins with --dial-out and no --listen, then runs from its settings file: online, a peer live, the token used once", async () => {
    const api = fleet().api;
    const created = (
      await api.expect<{ id: string; token: string; commandDialOut: string }>(
        "POST",
        "/api/v1/join-tokens",
        { name: NAME, expiresInMinutes: 30 },
        [201],
      )
    ).json;
    // The line the dialog offers for such a node: it dials out and opens no port.
    expect(created.commandDialOut).toContain(`--token ${created.token} --name ${NAME} --dial-out `);
    expect(created.commandDialOut).not.toContain("--listen");

    // Bad bodies: refused naming the field; the token stays usable and no node is made.
    const good = {
      token: created.token,
      name: "refused",
      dialOut: true,
      secret: "a-secret-that-is-long-enough",
      endpoint: node().address,
    };
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ agentUrl: "http://198.18.0.9:7443" }, "agentUrl"],
      [{ secret: "short" }, "secret"],
      [{ endpoint: "not a host!" }, "endpoint"],
      [{ name: "no/slash" }, "name"],
      [{ dialOut: "yes" }, "dialOut"],
    ];
    for (const [change, field] of refusals) {
      const answer = await api.post("/api/v1/join", { ...good, ...change });
      expect(answer.status, `${field}: ${answer.text}`).toBe(400);
      expect(`${apiError(answer)?.field} ${apiError(answer)?.message}`, field).toContain(field);
    }
    expect(await nodeNamed("refused")).toBeNull();
    expect((await tokenStatus(created.id))?.status).toBe("active");

    const n = node();
    const attempt = await n.joinAgent({
      dashboardUrl,
      token: created.token,
      name: NAME,
      dialOut: true,
      joined: async () => (await nodeNamed(NAME)) !== null,
    });
    expect(attempt.exitStatus, await attempt.log()).toBeNull();
    const joined = await eventually(
      async () => {
        const listed = await nodeNamed(NAME);
        return listed?.status === "online" ? listed : null;
      },
      "the joined node online over its own connection",
      { timeoutMs: 30_000 },
    );
    n.id = joined.id;
    expect(joined).toMatchObject({ connection: "dial-out", agentUrl: null });
    expect(joined.connectedSince).not.toBeNull();
    expect(await tcpListeners(), "the joining agent opens no port").toBe("");

    // What it wrote: the secret (0600) and settings that make the agent dial out, with no listener.
    const settings = JSON.parse(await readFile(attempt.configFile, "utf8")) as Record<string, unknown>;
    expect(settings).toMatchObject({ dashboard: `${dashboardUrl}/`, dashboardAllowHttp: true });
    expect(settings.listen).toBeUndefined();
    const secretFile = settings.secretFile as string;
    expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
    expect((await readFile(secretFile, "utf8")).trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Run as the packaged unit runs it: from the settings file alone.
    await n.stopAgent();
    await n.startAgent({
      fromConfig: {
        file: attempt.configFile,
        ready: async () => {
          const listed = await nodeNamed(NAME);
          return (
            listed?.status === "online" &&
            listed.connectedSince !== null &&
            listed.connectedSince !== joined.connectedSince
          );
        },
      },
    });
    expect(await tcpListeners(), "the agent run from its settings opens no port").toBe("");
    expect(await nodeNamed(NAME)).toMatchObject({ connection: "dial-out", agentUrl: null, status: "online" });

    await createConfiguration(api, CONFIG, [POOL]);
    await placeConfiguration(fleet(), CONFIG, [{ node: n, pool: POOL, listenPort: PORT }]);
    const peer = await createPeer(api, CONFIG, { name: "via-dial-join", node: joined.id });
    await expectLive(n.ns, n.interfaceName(0), [peer]);

    // The token made this node and nothing else.
    expect(await tokenStatus(created.id)).toMatchObject({ status: "used", nodeId: joined.id });
    const again = await api.post("/api/v1/join", { ...good, name: "again" });
    expect(again.status, again.text).toBe(409);
    expect(apiError(again)?.message).toMatch(/join token: already used/);
    expect(await nodeNamed("again")).toBeNull();
  }, 240_000);
});
