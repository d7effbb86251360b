// The controller over the real driver and real wireguard-go in a namespace. A recording wrapper
// around the real driver shows which peers each apply touched; the live interface is checked with
// `wg show` run independently inside the namespace.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConflictError,
  generateKeyPair,
  generatePresharedKey,
  type InterfaceSpec,
  NotFoundError,
  type PeerSpec,
} from "@wgfleet/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupStale, createNamespace, type TestNamespace } from "../../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../../test/support/privileges.js";
import type { LiveConfig, LiveInterface, WireGuardDriver } from "../driver.js";
import { SystemWireGuardDriver } from "../system/system-driver.js";
import { DesiredState } from "./desired-state.js";
import { InterfaceController } from "./interface-controller.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "wdc";

/** Delegates to the real driver and remembers every call. */
class RecordingDriver implements WireGuardDriver {
  readonly calls: Array<{ method: string; name: string; keys: string[] }> = [];
  constructor(private readonly inner: WireGuardDriver) {}
  ensureInterface(spec: InterfaceSpec) {
    this.calls.push({ method: "ensureInterface", name: spec.name, keys: [] });
    return this.inner.ensureInterface(spec);
  }
  removeInterface(name: string, spec?: InterfaceSpec) {
    this.calls.push({ method: "removeInterface", name, keys: [] });
    return this.inner.removeInterface(name, spec);
  }
  listInterfaces() {
    return this.inner.listInterfaces();
  }
  setPeers(name: string, peers: PeerSpec[]) {
    this.calls.push({ method: "setPeers", name, keys: peers.map((p) => p.publicKey) });
    return this.inner.setPeers(name, peers);
  }
  removePeers(name: string, publicKeys: string[]) {
    this.calls.push({ method: "removePeers", name, keys: [...publicKeys] });
    return this.inner.removePeers(name, publicKeys);
  }
  readConfig(name: string): Promise<LiveConfig | null> {
    if (!this.inner.readConfig) throw new Error("the wrapped driver cannot read a config");
    return this.inner.readConfig(name);
  }
  readInterface(name: string): Promise<LiveInterface | null> {
    return this.inner.readInterface(name);
  }
  touched(method: "setPeers" | "removePeers"): string[] {
    return this.calls.filter((c) => c.method === method).flatMap((c) => c.keys);
  }
  count(method: string): number {
    return this.calls.filter((c) => c.method === method && (c.keys.length > 0 || !method.endsWith("Peers")))
      .length;
  }
  reset() {
    this.calls.length = 0;
  }
}

function peer(last: number, extra: Partial<PeerSpec> = {}): PeerSpec {
  return { publicKey: generateKeyPair().publicKey, allowedIps: [`198.51.100.${last}/32`], ...extra };
}

describe.skipIf(skip)("InterfaceController with real wireguard-go", () => {
  let ns: TestNamespace;
  let recorder: RecordingDriver;
  let counter = 0;
  const made: string[] = [];

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    ns = await createNamespace(PREFIX);
  });

  afterEach(async () => {
    const driver = new SystemWireGuardDriver({ netns: ns.name });
    for (const name of made.splice(0)) await driver.removeInterface(name);
  });

  afterAll(async () => {
    await ns?.destroy();
  });

  function setup(options: ConstructorParameters<typeof InterfaceController>[1] = {}) {
    recorder = new RecordingDriver(new SystemWireGuardDriver({ netns: ns.name }));
    counter += 1;
    const name = `${ns.name}${counter}`;
    made.push(name);
    const spec: InterfaceSpec = {
      name,
      privateKey: generateKeyPair().privateKey,
      listenPort: 52000 + counter,
      addresses: ["198.51.100.1/24"],
    };
    return { controller: new InterfaceController(recorder, options), spec, name };
  }

  async function livePeers(name: string): Promise<Map<string, { allowedIps: string; psk: string }>> {
    const { stdout } = await ns.exec("wg", ["show", name, "dump"]);
    const lines = stdout.trim().split("\n").slice(1).filter(Boolean);
    const keys = lines.map((l) => l.split("\t")[0] as string);
    expect(new Set(keys).size).toBe(keys.length);
    return new Map(
      lines.map((l) => {
        const f = l.split("\t");
        return [f[0] as string, { allowedIps: f[3] as string, psk: f[1] as string }];
      }),
    );
  }

  it("applies a full state, then only the peers that changed", async () => {
    const { controller, spec, name } = setup();
    const [a, b, c, d] = [peer(2), peer(3), peer(4), peer(5)];
    const first = await controller.applyState({ revision: 1, interface: spec, peers: [a, b, c] });
    expect(first).toEqual({ interfaceCreated: true, upserted: 3, removed: 0 });
    expect([...(await livePeers(name)).keys()].sort()).toEqual([a, b, c].map((p) => p.publicKey).sort());

    recorder.reset();
    const b2 = { ...b, allowedIps: ["198.51.100.33/32"] };
    const second = await controller.applyState({ revision: 2, interface: spec, peers: [a, b2, d] });
    expect(second).toEqual({ interfaceCreated: false, upserted: 2, removed: 1 });
    expect(recorder.touched("setPeers").sort()).toEqual([b.publicKey, d.publicKey].sort());
    expect(recorder.touched("removePeers")).toEqual([c.publicKey]);
    const live = await livePeers(name);
    expect([...live.keys()].sort()).toEqual([a, b, d].map((p) => p.publicKey).sort());
    expect(live.get(b.publicKey)?.allowedIps).toBe("198.51.100.33/32");
    expect(controller.desiredState(name)?.revision).toBe(2);
    expect(controller.interfaceNames()).toEqual([name]);

    recorder.reset();
    expect(await controller.applyState({ revision: 2, interface: spec, peers: [a, b2, d] })).toEqual({
      interfaceCreated: false,
      upserted: 0,
      removed: 0,
    });
    expect(recorder.touched("setPeers")).toEqual([]);
  });

  it("applies a changed preshared key, which the live interface cannot show", async () => {
    const { controller, spec, name } = setup();
    const a = peer(2, { presharedKey: generatePresharedKey() });
    await controller.applyState({ revision: 1, interface: spec, peers: [a] });
    const psk = generatePresharedKey();
    await controller.applyState({ revision: 2, interface: spec, peers: [{ ...a, presharedKey: psk }] });
    expect((await livePeers(name)).get(a.publicKey)?.psk).toBe(psk);
  });

  it("refuses a lower revision and changes nothing", async () => {
    const { controller, spec, name } = setup();
    const a = peer(2);
    await controller.applyState({ revision: 5, interface: spec, peers: [a] });
    recorder.reset();
    const stale = controller.applyState({ revision: 4, interface: spec, peers: [] });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toThrow(/revision 4 is older than the applied revision 5/);
    expect(recorder.calls).toEqual([]);
    expect([...(await livePeers(name)).keys()]).toEqual([a.publicKey]);
    expect(controller.desiredState(name)?.revision).toBe(5);
    // A peer operation may raise the revision; a full state below it is then refused too.
    await controller.upsertPeers(name, [peer(3)], 9);
    expect(controller.desiredState(name)?.revision).toBe(9);
    await expect(controller.applyState({ revision: 8, interface: spec, peers: [] })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await controller.upsertPeers(name, [peer(4)], 3);
    expect(controller.desiredState(name)?.revision).toBe(9);
  });

  it("takes 50 concurrent upserts: all present, no error, no duplicate, one driver call", async () => {
    const { controller, spec, name } = setup();
    await controller.applyState({ revision: 1, interface: spec, peers: [] });
    recorder.reset();
    const peers = Array.from({ length: 50 }, (_, i) => peer(100 + i));
    await Promise.all(peers.map((p) => controller.upsertPeers(name, [p])));
    const live = await livePeers(name);
    expect(live.size).toBe(50);
    for (const p of peers) expect(live.get(p.publicKey)?.allowedIps).toBe(p.allowedIps[0]);
    expect(controller.desiredState(name)?.peers).toHaveLength(50);
    expect(recorder.count("setPeers")).toBe(1);
  });

  it("queues peer operations behind a running apply and merges them, last operation per key winning", async () => {
    const { controller, spec, name } = setup();
    const [a, b, c] = [peer(2), peer(3), peer(4)];
    const apply = controller.applyState({ revision: 1, interface: spec, peers: [a] });
    const ops = [
      controller.upsertPeers(name, [b]),
      controller.removePeers(name, [a.publicKey]),
      controller.upsertPeers(name, [c]),
      controller.removePeers(name, [b.publicKey]),
      controller.upsertPeers(name, [{ ...c, allowedIps: ["198.51.100.44/32"] }]),
    ];
    await Promise.all([apply, ...ops]);
    const live = await livePeers(name);
    expect([...live.keys()]).toEqual([c.publicKey]);
    expect(live.get(c.publicKey)?.allowedIps).toBe("198.51.100.44/32");
    expect(controller.desiredState(name)?.peers.map((p) => p.publicKey)).toEqual([c.publicKey]);
    expect(recorder.count("setPeers")).toBe(2); // the apply's, then one for all five operations
  });

  it("peer operations change the desired state in place; a state read earlier stays as read", async () => {
    const { controller, spec, name } = setup();
    const [a, b] = [peer(2), peer(3)];
    await controller.applyState({ revision: 1, interface: spec, peers: [a] });
    const before = controller.desiredState(name);
    await controller.upsertPeers(name, [b], 2);
    await controller.removePeers(name, [a.publicKey]);
    expect(before).toEqual({ revision: 1, interface: spec, peers: [a] });
    expect(controller.desiredState(name)).toEqual({ revision: 2, interface: spec, peers: [b] });
    expect([...(await livePeers(name)).keys()]).toEqual([b.publicKey]);
  });

  it("rejects peer operations on an unknown interface", async () => {
    const { controller } = setup();
    await expect(controller.upsertPeers("wdnone", [peer(2)])).rejects.toBeInstanceOf(NotFoundError);
    await expect(controller.removePeers("wdnone", [peer(2).publicKey])).rejects.toBeInstanceOf(NotFoundError);
    await expect(controller.repairDrift("wdnone")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("applies a caller-owned desired state by reference: peer operations only reach the driver", async () => {
    const { controller, spec, name } = setup();
    const [a, b, c] = [peer(2), peer(3, { presharedKey: generatePresharedKey() }), peer(4)];
    // The caller's model: changed in place by the caller, read (never changed) by the controller.
    const owned = DesiredState.from({ revision: 1, interface: spec, peers: [a, b] });
    expect(await controller.applyDesired(owned)).toEqual({ interfaceCreated: true, upserted: 2, removed: 0 });

    owned.applyPeers([c], [a.publicKey], 2);
    recorder.reset();
    await controller.upsertPeers(name, [c], 2);
    await controller.removePeers(name, [a.publicKey], 2);
    expect(recorder.touched("setPeers")).toEqual([c.publicKey]);
    expect(recorder.touched("removePeers")).toEqual([a.publicKey]);
    expect(owned.toState().peers).toEqual([b, c]);
    expect(controller.desiredState(name)).toEqual({ revision: 2, interface: spec, peers: [b, c] });

    // Drift repair reads the caller's current model.
    await ns.exec("wg", ["set", name, "peer", c.publicKey, "remove"]);
    expect(await controller.repairDrift(name)).toMatchObject({ restored: 1, stray: [] });

    // A new object replaces the state wholesale; the preshared key change is carried by the diff.
    const psk = generatePresharedKey();
    const replaced = DesiredState.from({
      revision: 3,
      interface: spec,
      peers: [{ ...b, presharedKey: psk }],
    });
    expect(await controller.applyDesired(replaced)).toEqual({
      interfaceCreated: false,
      upserted: 1,
      removed: 1,
    });
    const live = await livePeers(name);
    expect([...live.keys()]).toEqual([b.publicKey]);
    expect(live.get(b.publicKey)?.psk).toBe(psk);
    expect(owned.toState().peers).toEqual([b, c]);

    await controller.removeInterface(name);
    expect(controller.desiredState(name)).toBeUndefined();
    expect(controller.interfaceNames()).toEqual([]);
    expect(await controller.readLive(name)).toBeNull();
  });

  it("repairs drift: restores a peer removed by hand and re-creates a deleted interface", async () => {
    const { controller, spec, name } = setup();
    const peers = [peer(2, { persistentKeepalive: 25 }), peer(3), peer(4)];
    await controller.applyState({ revision: 1, interface: spec, peers });
    expect(await controller.repairDrift(name)).toEqual({
      interfaceRestored: false,
      restored: 0,
      stray: [],
      strayRemoved: 0,
      missing: [],
    });

    await ns.exec("wg", ["set", name, "peer", peers[1]?.publicKey as string, "remove"]);
    expect(await controller.repairDrift(name)).toEqual({
      interfaceRestored: false,
      restored: 1,
      stray: [],
      strayRemoved: 0,
      missing: [peers[1]?.publicKey],
    });
    expect((await livePeers(name)).size).toBe(3);

    await ns.exec("ip", ["link", "del", "dev", name]);
    expect(await controller.readLive(name)).toBeNull();
    expect(await controller.repairDrift(name)).toEqual({
      interfaceRestored: true,
      restored: 3,
      stray: [],
      strayRemoved: 0,
      missing: peers.map((p) => p.publicKey),
    });
    const live = await controller.readLive(name);
    expect(live?.up).toBe(true);
    expect(live?.peers.find((p) => p.publicKey === peers[0]?.publicKey)?.persistentKeepalive).toBe(25);
    expect((await livePeers(name)).size).toBe(3);
  });

  it("reports a stray live peer and removes it only when asked", async () => {
    const { controller, spec, name } = setup();
    const a = peer(2);
    await controller.applyState({ revision: 1, interface: spec, peers: [a] });
    const stray = generateKeyPair().publicKey;
    await ns.exec("wg", ["set", name, "peer", stray, "allowed-ips", "198.51.100.99/32"]);

    expect(await controller.repairDrift(name)).toEqual({
      interfaceRestored: false,
      restored: 0,
      stray: [stray],
      strayRemoved: 0,
      missing: [],
    });
    expect((await livePeers(name)).has(stray)).toBe(true);

    expect(await controller.repairDrift(name, { removeStray: true })).toEqual({
      interfaceRestored: false,
      restored: 0,
      stray: [stray],
      strayRemoved: 1,
      missing: [],
    });
    expect([...(await livePeers(name)).keys()]).toEqual([a.publicKey]);
  });

  it("with restore: false only reports: the missing peer stays missing, the stray stays unless asked", async () => {
    const { controller, spec, name } = setup();
    const a = peer(2);
    const b = peer(3);
    await controller.applyState({ revision: 1, interface: spec, peers: [a, b] });
    const stray = generateKeyPair().publicKey;
    await ns.exec("wg", ["set", name, "peer", b.publicKey, "remove"]);
    await ns.exec("wg", ["set", name, "peer", stray, "allowed-ips", "198.51.100.97/32"]);
    expect(await controller.repairDrift(name, { restore: false })).toEqual({
      interfaceRestored: false,
      restored: 0,
      stray: [stray],
      strayRemoved: 0,
      missing: [b.publicKey],
    });
    expect([...(await livePeers(name)).keys()].sort()).toEqual([a.publicKey, stray].sort());
    await controller.repairDrift(name, { restore: false, removeStray: true });
    expect([...(await livePeers(name)).keys()]).toEqual([a.publicKey]);
  });

  it("under the report policy a full apply keeps stray peers; their whole config can be read for adoption", async () => {
    const { controller, spec, name } = setup();
    const a = peer(2);
    await controller.applyState({ revision: 1, interface: { ...spec, driftPolicy: "report" }, peers: [a] });
    const stray = generateKeyPair();
    const psk = generateKeyPair().privateKey;
    await withPskFile(psk, (file) =>
      ns.exec("wg", [
        "set",
        name,
        "peer",
        stray.publicKey,
        "preshared-key",
        file,
        "allowed-ips",
        "198.51.100.96/32",
      ]),
    );
    await controller.applyState({ revision: 2, interface: { ...spec, driftPolicy: "report" }, peers: [a] });
    expect((await livePeers(name)).has(stray.publicKey)).toBe(true);
    expect(await controller.strayPeerConfigs(name)).toEqual([
      { publicKey: stray.publicKey, presharedKey: psk, allowedIps: ["198.51.100.96/32"] },
    ]);
    await expect(controller.readUnmanagedConfig(name)).rejects.toThrow(/managed here/);
  });

  it("removes stray peers when a full state is applied", async () => {
    const { controller, spec, name } = setup();
    const a = peer(2);
    await controller.applyState({ revision: 1, interface: spec, peers: [a] });
    const stray = generateKeyPair().publicKey;
    await ns.exec("wg", ["set", name, "peer", stray, "allowed-ips", "198.51.100.98/32"]);
    expect(await controller.applyState({ revision: 2, interface: spec, peers: [a] })).toEqual({
      interfaceCreated: false,
      upserted: 0,
      removed: 1,
    });
    expect([...(await livePeers(name)).keys()]).toEqual([a.publicKey]);
  });
});

/** A preshared key in a 0600 temp file for `wg set … preshared-key FILE`, removed afterwards. */
async function withPskFile<T>(psk: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "wgfleet-psk-"));
  try {
    const file = join(dir, "psk");
    await writeFile(file, psk, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
