// Input the API must refuse although its shape is fine: pools in special-purpose ranges, of the wrong
// IP version, with host bits set or overlapping another pool; a peer carrying an interface's own key,
// all-zero keys, impossible dates. Each answer names the field and nothing changes (database rows and
// the live interface). Also the peer's description end to end. Both engines, real wireguard-go.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

describe.skipIf(skip)("input that is well-formed but wrong", () => {
  forEachEngine("hardening", (open) => {
    let f: LocalNodeFixture;
    let peerId = "";
    let interfaceKey = "";

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      const peer = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "p1" });
      peerId = peer.json().id;
      interfaceKey = (await f.api("GET", `/api/v1/configurations/${f.name}`)).json().interfaces[0].publicKey;
      // A second node (never reachable): a pool check must refuse before the node is ever called.
      const node = await f.api("POST", "/api/v1/nodes", {
        name: "far",
        agentUrl: "http://127.0.0.1:9",
        secret: "s".repeat(32),
        endpoint: "198.18.0.9",
      });
      expect(node.status, node.body).toBe(201);
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
        live: (await f.wg()).raw.split("\n").sort(),
      };
    }

    /** Sends the request and checks the refusal: status, field, a reason, and nothing changed. */
    async function refused(
      method: "POST" | "PATCH",
      url: string,
      body: unknown,
      status: number,
      field: string,
      reason?: RegExp,
    ): Promise<void> {
      const before = await snapshot();
      const answer = await f.api(method, url, body);
      expect(answer.status, answer.body).toBe(status);
      expect(answer.json().error.field).toBe(field);
      if (reason) expect(answer.json().error.message).toMatch(reason);
      expect(await snapshot()).toEqual(before);
    }

    const onLocal = (pool: string, pool6?: string) => ({
      nodeId: "local",
      listenPort: f.listenPort + 1,
      pool,
      ...(pool6 ? { pool6 } : {}),
    });
    const newConfiguration = async (name: string) => {
      const created = await f.api("POST", "/api/v1/configurations", { name });
      expect(created.status, created.body).toBe(201);
      return `/api/v1/configurations/${name}/interfaces`;
    };

    it.each([
      ["127.0.0.0/8", /loopback/],
      ["224.0.0.0/4", /multicast/],
      ["169.254.0.0/16", /link-local/],
      ["0.0.0.0/8", /this network/],
      ["255.255.255.255/32", /broadcast/],
      ["240.0.0.0/4", /reserved/],
    ])("an IPv4 pool in the special-purpose range %s is refused, naming pool and why", async (pool, why) => {
      const url = await newConfiguration(`sp4${pool.split(".")[0]}${pool.split("/")[1]}`);
      await refused("POST", url, onLocal(pool), 400, "pool", why);
    });

    it.each([
      ["::/128", /unspecified/],
      ["::/120", /unspecified/],
      ["fe80::/10", /link-local/],
      ["ff00::/8", /multicast/],
      ["::ffff:0:0/96", /IPv4-mapped/],
    ])(
      "an IPv6 pool6 in the special-purpose range %s is refused, naming pool6 and why",
      async (pool6, why) => {
        const url = await newConfiguration(
          `sp6${pool6.replace(/[^0-9a-f]/g, "").slice(0, 6)}${pool6.split("/")[1]}`,
        );
        await refused("POST", url, onLocal("198.19.40.0/24", pool6), 400, "pool6", why);
      },
    );

    it("an IPv6 CIDR in the IPv4 pool field, and an IPv4 CIDR in pool6, are refused", async () => {
      const url = await newConfiguration("versions1");
      await refused("POST", url, onLocal("2001:db8:40::/64"), 400, "pool", /IPv4/);
      await refused("POST", url, onLocal("198.19.41.0/24", "198.19.42.0/24"), 400, "pool6", /IPv6/);
    });

    it("a pool with host bits set is refused, naming the network that was meant", async () => {
      const url = await newConfiguration("hostbits1");
      await refused(
        "POST",
        url,
        onLocal("198.19.2.5/28"),
        400,
        "pool",
        /host bits set; did you mean 198\.19\.2\.0\/28/,
      );
    });

    it("a pool overlapping another interface's pool on the same node is refused", async () => {
      const url = await newConfiguration("overlap1");
      await refused("POST", url, onLocal("198.51.100.128/25"), 409, "pool", /overlaps 198\.51\.100\.0\/24/);
    });

    it("a pool overlapping a pool of the same configuration on another node is refused", async () => {
      const nodes = (await f.api("GET", "/api/v1/nodes")).json().items as { id: string; name: string }[];
      const far = nodes.find((n) => n.name === "far")?.id as string;
      const url = `/api/v1/configurations/${f.name}/interfaces`;
      const body = { nodeId: far, listenPort: f.listenPort, pool: "198.51.100.0/25" };
      await refused("POST", url, body, 409, "pool", /overlaps 198\.51\.100\.0\/24/);
    });

    // RFC 1918 and ULA pools are allowed too (core's special-purpose tests): never put on a link here.
    it("ordinary ranges stay allowed: benchmarking and documentation pools", async () => {
      const url = await newConfiguration("allowed1");
      const answer = await f.api("POST", url, onLocal("198.19.77.0/24", "2001:db8:77::/64"));
      expect(answer.status, answer.body).toBe(201);
      expect(answer.json().addresses).toEqual(["198.19.77.1/24", "2001:db8:77::1/64"]);
    });

    it("an IPv6-only interface takes pool6 alone; neither pool is a 400 naming pool", async () => {
      const url = await newConfiguration("v6only1");
      await refused("POST", url, { nodeId: "local", listenPort: f.listenPort + 2 }, 400, "pool", /required/);
      const answer = await f.api("POST", url, {
        nodeId: "local",
        listenPort: f.listenPort + 2,
        pool6: "2001:db8:78::/64",
      });
      expect(answer.status, answer.body).toBe(201);
      expect(answer.json().addresses).toEqual(["2001:db8:78::1/64"]);
    });

    const peersUrl = () => `/api/v1/configurations/${f.name}/peers`;

    it("a peer carrying its interface's own public key is refused", async () => {
      await refused(
        "POST",
        peersUrl(),
        { name: "mirror", publicKey: interfaceKey },
        409,
        "publicKey",
        /interface/,
      );
    });

    it("an all-zero public key is refused", async () => {
      await refused("POST", peersUrl(), { name: "zero", publicKey: ZERO_KEY }, 400, "publicKey", /all-zero/);
    });

    it("an all-zero preshared key is refused", async () => {
      await refused(
        "POST",
        peersUrl(),
        { name: "zero", presharedKey: ZERO_KEY },
        400,
        "presharedKey",
        /all-zero/,
      );
    });

    it("an impossible expiry date (2024-02-30) is refused, not rolled into March", async () => {
      await refused(
        "POST",
        peersUrl(),
        { name: "feb", expiresAt: "2024-02-30" },
        400,
        "expiresAt",
        /no day 30/,
      );
      await refused(
        "PATCH",
        `/api/v1/peers/${peerId}`,
        { expiresAt: "2025-04-31T10:00:00Z" },
        400,
        "expiresAt",
      );
      await refused("PATCH", `/api/v1/peers/${peerId}`, { expiresAt: "2025-13-01" }, 400, "expiresAt");
    });

    it("a real expiry date is kept as that day", async () => {
      const answer = await f.api("PATCH", `/api/v1/peers/${peerId}`, { expiresAt: "2024-02-29" });
      expect(answer.status, answer.body).toBe(200);
      expect(answer.json().expiresAt).toBe("2024-02-29T00:00:00.000Z");
    });

    it("a peer's description is stored, shown, changed and cleared", async () => {
      const created = await f.api("POST", peersUrl(), { name: "laptop", description: "Ana's laptop" });
      expect(created.status, created.body).toBe(201);
      const id = created.json().id;
      expect(created.json().description).toBe("Ana's laptop");
      expect((await f.api("GET", `/api/v1/peers/${id}`)).json().description).toBe("Ana's laptop");
      const changed = await f.api("PATCH", `/api/v1/peers/${id}`, { description: "Ana's new laptop" });
      expect(changed.json().description).toBe("Ana's new laptop");
      const listed = (await f.api("GET", `${peersUrl()}?search=laptop`)).json().items;
      expect(listed.map((p: { description: string }) => p.description)).toEqual(["Ana's new laptop"]);
      const cleared = await f.api("PATCH", `/api/v1/peers/${id}`, { description: null });
      expect(cleared.json().description).toBeNull();
      expect((await f.api("GET", `/api/v1/peers/${id}`)).json().description).toBeNull();
    });

    it("a description with a line break, a control character or over 200 characters is refused", async () => {
      await refused(
        "POST",
        peersUrl(),
        { name: "d1", description: "a\nb" },
        400,
        "description",
        /single line/,
      );
      await refused("POST", peersUrl(), { name: "d2", description: "a\u0000b" }, 400, "description");
      await refused("POST", peersUrl(), { name: "d3", description: "x".repeat(201) }, 400, "description");
      await refused("PATCH", `/api/v1/peers/${peerId}`, { description: "x\r[Peer]" }, 400, "description");
    });
  });
});
