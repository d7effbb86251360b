// Every writable field of configurations, interfaces and peers against bad input: each case answers
// 400 (409 for something taken) naming the field, and changes nothing — the database rows and the live
// interface (`wg show dump`) are the same before and after. Both engines, real wireguard-go.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

const HUGE = "x".repeat(100 * 1024);
const BAD_KEY = "not-a-wireguard-key";
const SHORT_KEY = "AAAA";

interface Case {
  what: string;
  method: "POST" | "PATCH";
  url: (ctx: { name: string; peerId: string }) => string;
  body: unknown;
  status: number;
  field?: string;
}

const peersUrl = ({ name }: { name: string }) => `/api/v1/configurations/${name}/peers`;
const peerUrl = ({ peerId }: { peerId: string }) => `/api/v1/peers/${peerId}`;
const configUrl = ({ name }: { name: string }) => `/api/v1/configurations/${name}`;
const interfacesUrl = ({ name }: { name: string }) => `/api/v1/configurations/${name}/interfaces`;

const createPeer = (what: string, body: unknown, field: string | undefined, status = 400): Case => ({
  what: `create peer: ${what}`,
  method: "POST",
  url: peersUrl,
  body,
  status,
  ...(field ? { field } : {}),
});
const patchPeer = (what: string, body: unknown, field: string, status = 400): Case => ({
  what: `patch peer: ${what}`,
  method: "PATCH",
  url: peerUrl,
  body,
  status,
  field,
});

const CASES: Case[] = [
  createPeer("name missing", {}, "name"),
  createPeer("name with a newline", { name: "a\nb" }, "name"),
  createPeer("name with a carriage return", { name: "a\rPrivateKey = x" }, "name"),
  createPeer("name with [Peer]", { name: "x [Peer] y" }, "name"),
  createPeer("name of 100 KB", { name: HUGE }, "name"),
  createPeer("name blank", { name: "   " }, "name"),
  createPeer("name not a string", { name: 42 }, "name"),
  createPeer("name with NUL", { name: "a\u0000b" }, "name"),
  createPeer("public key not base64", { name: "p", publicKey: BAD_KEY }, "publicKey"),
  createPeer("public key too short", { name: "p", publicKey: SHORT_KEY }, "publicKey"),
  createPeer("public key of 100 KB", { name: "p", publicKey: HUGE }, "publicKey"),
  createPeer("public key a number", { name: "p", publicKey: 7 }, "publicKey"),
  createPeer("preshared key bad", { name: "p", presharedKey: BAD_KEY }, "presharedKey"),
  createPeer("preshared key a number", { name: "p", presharedKey: 1 }, "presharedKey"),
  createPeer("address outside the pool", { name: "p", addresses: ["203.0.113.9"] }, "addresses"),
  createPeer("address is the gateway", { name: "p", addresses: ["198.51.100.1"] }, "addresses"),
  createPeer("address is the network", { name: "p", addresses: ["198.51.100.0"] }, "addresses"),
  createPeer("address is the broadcast", { name: "p", addresses: ["198.51.100.255"] }, "addresses"),
  createPeer("address a subnet, not a host", { name: "p", addresses: ["198.51.100.0/24"] }, "addresses"),
  createPeer("address a /24 of a host", { name: "p", addresses: ["198.51.100.9/24"] }, "addresses"),
  createPeer("address garbage", { name: "p", addresses: ["198.51.100.999"] }, "addresses"),
  createPeer("addresses not a list", { name: "p", addresses: "198.51.100.9" }, "addresses"),
  createPeer("address already taken", { name: "p", addresses: ["198.51.100.2"] }, "addresses", 409),
  createPeer("dns with a template", { name: "p", dns: ["{{ dns }}"] }, "dns"),
  createPeer("dns with a newline", { name: "p", dns: ["1.1.1.1\n[Peer]"] }, "dns"),
  createPeer("dns of 100 KB", { name: "p", dns: [HUGE] }, "dns"),
  createPeer(
    "client AllowedIPs bad CIDR",
    { name: "p", clientAllowedIps: ["300.1.1.1/8"] },
    "clientAllowedIps",
  ),
  createPeer(
    "client AllowedIPs prefix too long",
    { name: "p", clientAllowedIps: ["10.0.0.0/33"] },
    "clientAllowedIps",
  ),
  createPeer(
    "client AllowedIPs not a list",
    { name: "p", clientAllowedIps: "0.0.0.0/0" },
    "clientAllowedIps",
  ),
  createPeer("negative MTU", { name: "p", mtu: -1 }, "mtu"),
  createPeer("MTU too large", { name: "p", mtu: 100_000 }, "mtu"),
  createPeer("MTU as a string", { name: "p", mtu: "1400" }, "mtu"),
  createPeer("negative keepalive", { name: "p", keepalive: -5 }, "keepalive"),
  createPeer("keepalive above 65535", { name: "p", keepalive: 70_000 }, "keepalive"),
  createPeer("keepalive fractional", { name: "p", keepalive: 2.5 }, "keepalive"),
  createPeer("expiry not a date", { name: "p", expiresAt: "tomorrow" }, "expiresAt"),
  createPeer("node of 100 KB", { name: "p", node: HUGE }, "node"),
  createPeer("unknown field", { name: "p", privateKey: "x" }, "privateKey"),
  createPeer("unknown node", { name: "p", node: "no-such-node" }, undefined, 404),
  patchPeer("name with a newline", { name: "a\nb" }, "name"),
  patchPeer("name with [Interface]", { name: "[Interface]" }, "name"),
  patchPeer("name of 100 KB", { name: HUGE }, "name"),
  patchPeer("address outside the pool", { addresses: ["203.0.113.5"] }, "addresses"),
  patchPeer("address already taken", { addresses: ["198.51.100.2"] }, "addresses", 409),
  patchPeer("negative MTU", { mtu: -1 }, "mtu"),
  patchPeer("dns bad", { dns: ["bad dns!"] }, "dns"),
  patchPeer("unknown field", { enabled: false }, "enabled"),
  patchPeer("wrong type", { keepalive: "25" }, "keepalive"),
  {
    what: "create configuration: name with a space",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "a b" },
    status: 400,
    field: "name",
  },
  {
    what: "create configuration: name with a newline",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "a\nb" },
    status: 400,
    field: "name",
  },
  {
    what: "create configuration: name [Peer]",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "[Peer]" },
    status: 400,
    field: "name",
  },
  {
    what: "create configuration: name of 100 KB",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: HUGE },
    status: 400,
    field: "name",
  },
  {
    what: "create configuration: name a number",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: 5 },
    status: 400,
    field: "name",
  },
  {
    what: "create configuration: bad dns",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "dbok1", dns: ["a b"] },
    status: 400,
    field: "dns",
  },
  {
    what: "create configuration: bad client AllowedIPs",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "dbok1", clientAllowedIps: ["x"] },
    status: 400,
    field: "clientAllowedIps",
  },
  {
    what: "create configuration: negative MTU",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "dbok1", mtu: -1400 },
    status: 400,
    field: "mtu",
  },
  {
    what: "create configuration: description of 100 KB",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "dbok1", description: HUGE },
    status: 400,
    field: "description",
  },
  {
    what: "create configuration: unknown field",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "dbok1", table: "off" },
    status: 400,
    field: "table",
  },
  {
    what: "create configuration: taken name",
    method: "POST",
    url: () => "/api/v1/configurations",
    body: { name: "TAKEN" },
    status: 409,
    field: "name",
  },
  {
    what: "patch configuration: dns with newline",
    method: "PATCH",
    url: configUrl,
    body: { dns: ["1.1.1.1\nPostUp = x"] },
    status: 400,
    field: "dns",
  },
  {
    what: "patch configuration: keepalive negative",
    method: "PATCH",
    url: configUrl,
    body: { keepalive: -1 },
    status: 400,
    field: "keepalive",
  },
  {
    what: "patch configuration: unknown field",
    method: "PATCH",
    url: configUrl,
    body: { name: "renamed" },
    status: 400,
    field: "name",
  },
  {
    what: "interface: listen port 0",
    method: "POST",
    url: interfacesUrl,
    body: { nodeId: "local", listenPort: 0, pool: "203.0.113.0/24" },
    status: 400,
    field: "listenPort",
  },
  {
    what: "interface: listen port a string",
    method: "POST",
    url: interfacesUrl,
    body: { nodeId: "local", listenPort: "51820", pool: "203.0.113.0/24" },
    status: 400,
    field: "listenPort",
  },
  {
    what: "interface: pool garbage",
    method: "POST",
    url: interfacesUrl,
    body: { nodeId: "local", listenPort: 4000, pool: "nope" },
    status: 400,
    field: "pool",
  },
  {
    what: "interface: unknown node",
    method: "POST",
    url: interfacesUrl,
    body: { nodeId: "remote-1", listenPort: 4000, pool: "203.0.113.0/24" },
    status: 404,
  },
  {
    what: "interface: unknown field",
    method: "POST",
    url: interfacesUrl,
    body: { nodeId: "local", listenPort: 4000, pool: "203.0.113.0/24", postUp: "rm -rf /" },
    status: 400,
    field: "postUp",
  },
  {
    what: "interface: already on the node",
    method: "POST",
    url: interfacesUrl,
    body: { nodeId: "local", listenPort: 4000, pool: "203.0.113.0/24" },
    status: 409,
    field: "nodeId",
  },
];

describe.skipIf(skip)("validation of every writable field", () => {
  forEachEngine("validation", (open) => {
    let f: LocalNodeFixture;
    let peerId = "";

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const taken = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "taken" });
      expect(taken.json().addresses).toEqual(["198.51.100.2/32"]);
      const other = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "other" });
      peerId = other.json().id;
      expect((await f.api("POST", "/api/v1/configurations", { name: "TAKEN" })).status).toBe(201);
    });

    afterAll(async () => {
      await f?.close();
    });

    async function snapshot() {
      const db = f.t.context.db;
      return {
        configurations: await db.selectFrom("configurations").selectAll().orderBy("id").execute(),
        interfaces: await db.selectFrom("interfaces").selectAll().orderBy("id").execute(),
        peers: await db.selectFrom("peers").selectAll().orderBy("id").execute(),
        allocations: await db.selectFrom("ip_allocations").selectAll().orderBy("address").execute(),
        // wg lists peers in no fixed order.
        live: (await f.wg()).raw.split("\n").sort(),
      };
    }

    it.each(CASES)("$what → $status", async (c) => {
      const before = await snapshot();
      const answer = await f.api(c.method, c.url({ name: f.name, peerId }), c.body);
      expect(answer.status, answer.body).toBe(c.status);
      const error = answer.json().error;
      // A list's field may name the entry: "dns" or "dns[0]".
      if (c.field !== undefined) expect(error.field).toMatch(new RegExp(`^${c.field}(\\[\\d+\\])?$`));
      expect(error.message.length).toBeLessThan(500);
      expect(await snapshot()).toEqual(before);
    });
  });
});
