// The local node's side of the seam against a real wireguard-go in a fresh network namespace: health
// comes with its timing and the dashboard package's own version, and reconcile repairs drift made
// behind the transport's back (a peer removed, a stray peer added) and removes strays only when asked.
import { readFileSync } from "node:fs";
import { generateKeyPair, type InterfaceState } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNamespace, type TestNamespace, uniqueName } from "../../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../../test/support/privileges.js";
import { createLocalTransport, type LocalTransport } from "./local-transport.js";

const skip = missingPrerequisites(wireguardPrerequisites());

/** The version in packages/dashboard/package.json, read the way a reader of that file would. */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

describe.skipIf(skip)("the local transport over a real interface", () => {
  let ns: TestNamespace;
  let transport: LocalTransport;
  const name = uniqueName("lt", 15);
  const wanted = generateKeyPair().publicKey;
  const state: InterfaceState = {
    revision: 1,
    interface: {
      name,
      privateKey: generateKeyPair().privateKey,
      listenPort: 20_000 + Math.floor(Math.random() * 40_000),
      addresses: ["198.51.100.1/24"],
    },
    peers: [{ publicKey: wanted, allowedIps: ["198.51.100.2/32"] }],
  };

  beforeAll(async () => {
    ns = await createNamespace("ltr");
    transport = createLocalTransport({ netns: ns.name });
    await transport.applyInterfaceState(state);
  });

  afterAll(async () => {
    await transport?.removeInterface(name).catch(() => {});
    await ns?.destroy();
  });

  const liveKeys = async () => (await transport.readPeers(name)).map((p) => p.publicKey).sort();

  it("reports its health with the timing and the dashboard package's version", async () => {
    const report = await transport.health();
    expect(report.clockSkewMs).toBe(0);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(report.health.version).toBe(PACKAGE_VERSION);
    expect(await transport.version()).toBe(PACKAGE_VERSION);
    const iface = report.health.interfaces.find((i) => i.name === name);
    expect(iface).toMatchObject({ up: true, peerCount: 1, revision: 1, strayPeers: [] });
  });

  it("reconcile restores a peer removed behind its back and reports a stray one, removing it only when asked", async () => {
    const stray = generateKeyPair().publicKey;
    await ns.exec("wg", ["set", name, "peer", wanted, "remove"]);
    await ns.exec("wg", ["set", name, "peer", stray, "allowed-ips", "198.51.100.9/32"]);
    expect(await liveKeys()).toEqual([stray]);

    const first = await transport.reconcile(name);
    expect(first).toEqual({
      interfaceRestored: false,
      restored: 1,
      stray: [stray],
      strayRemoved: 0,
      missing: [wanted],
    });
    expect(await liveKeys()).toEqual([stray, wanted].sort());
    expect((await transport.health()).health.interfaces.find((i) => i.name === name)?.strayPeers).toEqual([
      stray,
    ]);

    const second = await transport.reconcile(name, { removeStray: true });
    expect(second).toEqual({
      interfaceRestored: false,
      restored: 0,
      stray: [stray],
      strayRemoved: 1,
      missing: [],
    });
    expect(await liveKeys()).toEqual([wanted]);
  });

  it("reconcile re-creates an interface deleted behind its back", async () => {
    await ns.exec("ip", ["link", "del", name]);
    const report = await transport.reconcile(name, { removeStray: true });
    expect(report).toMatchObject({ interfaceRestored: true, restored: 1, strayRemoved: 0 });
    expect(await liveKeys()).toEqual([wanted]);
  });
});
