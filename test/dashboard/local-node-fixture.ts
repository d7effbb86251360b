// A dashboard app whose local node is a real wireguard-go in a fresh network namespace: the fixture
// for the configuration / peer tests. Also reads `wg show dump` so tests compare the live interface
// with the database. Everything it makes is removed by close(), also after a failure.
import { randomInt } from "node:crypto";
import type { Clock } from "../../packages/dashboard/src/clock.js";
import { startDomainServices } from "../../packages/dashboard/src/domain-services.js";
import {
  createTestApp,
  type TestApp,
  type TestDatabase,
} from "../../packages/dashboard/src/http/test-support/test-app.js";
import { createLocalTransport } from "../../packages/dashboard/src/transport/local-transport.js";
import { createNamespace, type TestNamespace, uniqueName } from "../support/netns.js";

export interface LocalNodeFixture {
  t: TestApp;
  server: TestNamespace;
  /** Unique across parallel tests: the configuration's and interface's name. */
  name: string;
  listenPort: number;
  headers: Record<string, string>;
  /** POST/GET/PATCH/DELETE as the admin (API key). */
  api(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: unknown): Promise<ApiAnswer>;
  wg(): Promise<LiveDump>;
  close(): Promise<void>;
}

export interface ApiAnswer {
  status: number;
  body: string;
  json(): any;
  headers: Record<string, unknown>;
}

export interface LiveDump {
  raw: string;
  /** public key → AllowedIPs as wg prints them. */
  peers: Map<string, string[]>;
}

/** `clock`: the time the dashboard's pollers and jobs go by (tests move it). */
export async function openLocalNode(
  database: TestDatabase,
  options: { clock?: Clock } = {},
): Promise<LocalNodeFixture> {
  const server = await createNamespace("dbs");
  let t: TestApp | undefined;
  try {
    t = await createTestApp(database, {
      config: { localNode: { enabled: true, unavailableReason: null } },
      localTransport: createLocalTransport({ netns: server.name }),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await startDomainServices(t.context.services);
  } catch (error) {
    await t?.close().catch(() => {});
    await server.destroy();
    throw error;
  }
  const app = t;
  const name = uniqueName("db", 15);
  const headers = app.bearer(app.adminKey);
  const fixture: LocalNodeFixture = {
    t: app,
    server,
    name,
    listenPort: randomInt(20_000, 60_000),
    headers,
    api: async (method, url, payload) => {
      const response = await app.app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return {
        status: response.statusCode,
        body: response.body,
        json: () => response.json(),
        headers: response.headers,
      };
    },
    wg: () => readDump(server, name),
    close: async () => {
      try {
        await app.close();
      } finally {
        await server.destroy();
      }
    },
  };
  return fixture;
}

/** `wg show NAME dump` inside the namespace; an interface that does not exist has no peers. */
export async function readDump(ns: TestNamespace, interfaceName: string): Promise<LiveDump> {
  let raw: string;
  try {
    raw = (await ns.exec("wg", ["show", interfaceName, "dump"])).stdout;
  } catch {
    return { raw: "", peers: new Map() };
  }
  const peers = new Map<string, string[]>();
  for (const line of raw.trim().split("\n").slice(1)) {
    const fields = line.split("\t");
    if (fields.length < 8 || !fields[0]) continue;
    peers.set(fields[0], fields[3] === "(none)" ? [] : (fields[3] ?? "").split(","));
  }
  return { raw, peers };
}

/** Puts a configuration named like the fixture on the local node with pool 198.51.100.0/24. */
export async function setUpConfiguration(
  f: LocalNodeFixture,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const created = await f.api("POST", "/api/v1/configurations", {
    name: f.name,
    dns: ["198.51.100.1"],
    clientAllowedIps: ["198.51.100.0/24"],
    ...extra,
  });
  if (created.status !== 201) throw new Error(`configuration: ${created.status} ${created.body}`);
  const iface = await f.api("POST", `/api/v1/configurations/${f.name}/interfaces`, {
    nodeId: "local",
    listenPort: f.listenPort,
    pool: "198.51.100.0/24",
    endpoint: `${f.server.nsAddress}:${f.listenPort}`,
  });
  if (iface.status !== 201) throw new Error(`interface: ${iface.status} ${iface.body}`);
}
