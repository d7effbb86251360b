// Interfaces changed in place (PATCH /api/v1/configurations/:name/interfaces/:nodeId) against a real
// wireguard-go interface on both engines: endpoint, listen port, DNS and MTU change with the peers
// kept, the live interface follows (port, MTU), the peer's config follows (endpoint, DNS, MTU), the
// answer says client configs changed; bad input is a 400 naming the field; a push the node cannot
// take (the node unavailable) answers 503 and changes nothing. Also: an interface endpoint given as a
// bare host takes the listen port.
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine } from "../support/databases.js";
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { type LocalNodeFixture, openLocalNode, setUpConfiguration } from "./local-node-fixture.js";

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("interface changed in place", () => {
  forEachEngine("interface update", (open) => {
    let f: LocalNodeFixture;
    let url = "";
    let peerId = "";
    let peerKey = "";

    beforeAll(async () => {
      f = await openLocalNode(await open());
      await setUpConfiguration(f);
      url = `/api/v1/configurations/${f.name}/interfaces/local`;
      const peer = await f.api("POST", `/api/v1/configurations/${f.name}/peers`, { name: "kept" });
      expect(peer.status).toBe(201);
      peerId = peer.json().id;
      peerKey = peer.json().publicKey;
    });

    afterAll(async () => {
      await f?.close();
    });

    const config = async () => (await f.api("GET", `/api/v1/peers/${peerId}/config`)).body;
    const livePort = async () => Number((await f.wg()).raw.split("\n")[0]?.split("\t")[2]);
    const liveMtu = async () =>
      Number(/mtu (\d+)/.exec((await f.server.exec("ip", ["link", "show", "dev", f.name])).stdout)?.[1]);
    const row = () =>
      f.t.context.db
        .selectFrom("interfaces")
        .selectAll()
        .where("name", "=", f.name)
        .executeTakeFirstOrThrow();

    it("changes endpoint, port, DNS and MTU in place: peers kept, node and client config follow", async () => {
      const port = f.listenPort === 60_000 ? 59_999 : f.listenPort + 1;
      const before = await row();
      const answer = await f.api("PATCH", url, {
        endpoint: "vpn.example.com",
        listenPort: port,
        dns: ["198.51.100.53"],
        mtu: 1380,
      });
      expect(answer.status, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({
        listenPort: port,
        endpoint: `vpn.example.com:${port}`,
        endpointWarnings: [],
        dns: ["198.51.100.53"],
        mtu: 1380,
        peerCount: 1,
        clientConfigsChanged: true,
      });
      expect(Number((await row()).revision)).toBeGreaterThan(Number(before.revision));
      expect(await livePort()).toBe(port);
      expect(await liveMtu()).toBe(1380);
      expect([...(await f.wg()).peers.keys()]).toEqual([peerKey]);
      const text = await config();
      expect(text).toContain(`Endpoint = vpn.example.com:${port}`);
      expect(text).toContain("DNS = 198.51.100.53");
      expect(text).toContain("MTU = 1380");
    });

    it("an endpoint without its own port follows a later listen port change", async () => {
      const port = randomInt(20_000, 60_000);
      const answer = await f.api("PATCH", url, { listenPort: port });
      expect(answer.status, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({
        endpoint: `vpn.example.com:${port}`,
        clientConfigsChanged: true,
      });
      expect(await livePort()).toBe(port);
    });

    it("the same values again change nothing and say so", async () => {
      const current = await row();
      const answer = await f.api("PATCH", url, { listenPort: current.listen_port, mtu: 1380 });
      expect(answer.status, answer.body).toBe(200);
      expect(answer.json().clientConfigsChanged).toBe(false);
      expect(Number((await row()).revision)).toBe(Number(current.revision));
    });

    it("warns about endpoints clients elsewhere cannot reach", async () => {
      for (const [endpoint, kind] of [
        ["vm", "single-label"],
        ["127.0.0.1:51820", "loopback"],
        ["10.1.2.3", "private"],
      ] as const) {
        const answer = await f.api("PATCH", url, { endpoint });
        expect(answer.status, answer.body).toBe(200);
        expect(answer.json().endpointWarnings.map((w: { kind: string }) => w.kind)).toEqual([kind]);
      }
      const reset = await f.api("PATCH", url, { endpoint: null });
      expect(reset.json().endpointOverride).toBeNull();
    });

    it.each([
      [{ endpoint: "vpn_example.com" }, "endpoint", 400],
      [{ endpoint: "vpn.example.com:0" }, "endpoint", 400],
      [{ endpoint: "a\n[Peer]" }, "endpoint", 400],
      [{ listenPort: 0 }, "listenPort", 400],
      [{ mtu: 100 }, "mtu", 400],
      [{ dns: ["{{ dns }}"] }, "dns[0]", 400],
      [{ name: "other" }, undefined, 400],
    ])("refuses %j naming the field, changing nothing", async (body, field, status) => {
      const before = await row();
      const answer = await f.api("PATCH", url, body);
      expect(answer.status, answer.body).toBe(status);
      if (field) expect(answer.json().error.field).toBe(field);
      expect(await row()).toEqual(before);
    });

    it("a listen port another interface on the node uses is a 409", async () => {
      const other = `${f.name.slice(0, 13)}x2`;
      const otherPort = randomInt(20_000, 60_000);
      expect((await f.api("POST", "/api/v1/configurations", { name: other })).status).toBe(201);
      const created = await f.api("POST", `/api/v1/configurations/${other}/interfaces`, {
        nodeId: "local",
        listenPort: otherPort,
        pool: "203.0.113.0/24",
      });
      expect(created.status, created.body).toBe(201);
      const before = await row();
      const answer = await f.api("PATCH", url, { listenPort: otherPort });
      expect(answer.status).toBe(409);
      expect(answer.json().error.field).toBe("listenPort");
      expect(await row()).toEqual(before);
      expect((await f.api("DELETE", `/api/v1/configurations/${other}?force=true`)).status).toBe(204);
    });

    it("a push the node cannot take answers 503 and leaves the settings and the live interface as they were", async () => {
      const transports = f.t.context.services.nodeTransports;
      const local = transports.get("local");
      const before = await row();
      const portBefore = await livePort();
      transports.setLocal(null, "taken away by the test");
      try {
        const answer = await f.api("PATCH", url, { listenPort: randomInt(20_000, 60_000), mtu: 1400 });
        expect(answer.status, answer.body).toBe(503);
      } finally {
        transports.setLocal(local, null);
      }
      const after = await row();
      for (const key of ["listen_port", "endpoint", "dns", "mtu"] as const)
        expect(after[key]).toEqual(before[key]);
      expect(await livePort()).toBe(portBefore);
      expect(await config()).toContain(`:${before.listen_port}`);
    });
  });

  forEachEngine("interface endpoint as a bare host", (open) => {
    let f: LocalNodeFixture;

    beforeAll(async () => {
      f = await openLocalNode(await open());
      expect((await f.api("POST", "/api/v1/configurations", { name: f.name })).status).toBe(201);
    });

    afterAll(async () => {
      await f?.close();
    });

    it.each([
      ["vpn.example.com", (p: number) => `vpn.example.com:${p}`],
      ["198.51.100.1", (p: number) => `198.51.100.1:${p}`],
      ["[2001:db8::1]", (p: number) => `[2001:db8::1]:${p}`],
    ])("%s takes the listen port", async (endpoint, expected) => {
      const added = await f.api("POST", `/api/v1/configurations/${f.name}/interfaces`, {
        nodeId: "local",
        listenPort: f.listenPort,
        pool: "198.51.100.0/24",
        endpoint,
      });
      expect(added.status, added.body).toBe(201);
      expect(added.json().endpoint).toBe(expected(f.listenPort));
      expect((await f.api("DELETE", `/api/v1/configurations/${f.name}/interfaces/local`)).status).toBe(204);
    });

    it("checks an endpoint as typed and guesses this server's host, without a 400 for a bad text", async () => {
      const vm = await f.api("POST", "/api/v1/endpoints/check", { endpoint: "vm", listenPort: 51820 });
      expect(vm.status).toBe(200);
      expect(vm.json()).toMatchObject({
        host: "vm",
        endpoint: "vm:51820",
        warnings: [{ kind: "single-label" }],
      });
      const bad = await f.api("POST", "/api/v1/endpoints/check", { endpoint: "vpn_example.com" });
      expect(bad.status).toBe(200);
      expect(bad.json().problem).toMatch(/not an IP address or a valid DNS name/);
      const guesses = await f.api("GET", "/api/v1/endpoints/guesses");
      expect(guesses.status).toBe(200);
      expect(guesses.json().guesses.map((g: { source: string }) => g.source)).toContain("hostname");
    });
  });
});
