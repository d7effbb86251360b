// Shared live reads: the polls of one moment share a read, and no read from before a change the
// controller made is handed out after it. Over the real driver and real wireguard-go in a namespace
// (a counting wrapper shows how often the interface was really read); the sharing window is long here
// (a minute) so that a read handed out across a change would be seen, not hidden by its expiry.
import { generateKeyPair, type InterfaceSpec, type PeerSpec } from "@wgfleet/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupStale, createNamespace, type TestNamespace } from "../../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../../test/support/privileges.js";
import type { LiveInterface, WireGuardDriver } from "../driver.js";
import { SystemWireGuardDriver } from "../system/system-driver.js";
import { InterfaceController } from "./interface-controller.js";
import { SharedLiveReads } from "./shared-live-reads.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "wsr";
const LONG_MS = 60_000;

/** The real driver, counting its reads of the peers; peer sets wait for `hold` while one is set. */
type TestDriver = WireGuardDriver & { reads: number; hold: Promise<void> | null };

function testDriver(inner: SystemWireGuardDriver): TestDriver {
  const driver = Object.create(inner) as SystemWireGuardDriver & TestDriver;
  driver.reads = 0;
  driver.hold = null;
  driver.readInterface = (name: string) => {
    driver.reads += 1;
    return inner.readInterface(name);
  };
  driver.readDevice = (name: string, up: boolean) => {
    driver.reads += 1;
    return inner.readDevice(name, up);
  };
  driver.setPeers = async (name: string, peers: PeerSpec[]) => {
    await driver.hold;
    return inner.setPeers(name, peers);
  };
  return driver;
}

function peer(last: number): PeerSpec {
  return { publicKey: generateKeyPair().publicKey, allowedIps: [`198.51.100.${last}/32`] };
}

const keysOf = (live: LiveInterface | null) => new Set(live?.peers.map((p) => p.publicKey));

describe.skipIf(skip)("shared live reads with real wireguard-go", () => {
  let ns: TestNamespace;
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

  async function setup(sharedReadMs = LONG_MS, peers: PeerSpec[] = [peer(2)]) {
    const driver = testDriver(new SystemWireGuardDriver({ netns: ns.name }));
    counter += 1;
    const name = `${ns.name}${counter}`;
    made.push(name);
    const spec: InterfaceSpec = {
      name,
      privateKey: generateKeyPair().privateKey,
      listenPort: 53000 + counter,
      addresses: ["198.51.100.1/24"],
    };
    const controller = new InterfaceController(driver, { sharedReadMs });
    await controller.applyState({ revision: 1, interface: spec, peers });
    driver.reads = 0;
    return { controller, driver, spec, name, peers };
  }

  it("answers the reads of one moment with one read of the interface", async () => {
    const { controller, driver, name, peers } = await setup();
    const [a, b] = await Promise.all([controller.readLiveShared(name), controller.readLiveShared(name)]);
    const c = await controller.readLiveShared(name);
    expect(driver.reads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(keysOf(c)).toEqual(new Set(peers.map((p) => p.publicKey)));
    // A direct read is never shared.
    await controller.readLive(name);
    expect(driver.reads).toBe(2);
  });

  it("reads the link's admin state for each answer: set down by hand, it shows at once", async () => {
    const { controller, driver, name } = await setup();
    expect((await controller.readLiveShared(name))?.up).toBe(true);
    await ns.exec("ip", ["link", "set", "dev", name, "down"]);
    const down = await controller.readLiveShared(name);
    expect(down?.up).toBe(false);
    expect(down?.peers).toHaveLength(1);
    await ns.exec("ip", ["link", "set", "dev", name, "up"]);
    expect((await controller.readLiveShared(name))?.up).toBe(true);
    // The peers were read once for the three answers.
    expect(driver.reads).toBe(1);
  });

  it("shows a peer change as soon as it is acknowledged (added, then removed)", async () => {
    const { controller, name } = await setup();
    await controller.readLiveShared(name);
    const added = peer(3);
    await controller.upsertPeers(name, [added], 2);
    expect(keysOf(await controller.readLiveShared(name)).has(added.publicKey)).toBe(true);
    await controller.removePeers(name, [added.publicKey], 3);
    expect(keysOf(await controller.readLiveShared(name)).has(added.publicKey)).toBe(false);
  });

  it("does not hand out a read that ran while a change was applied", async () => {
    const { controller, driver, name } = await setup();
    let release = () => {};
    driver.hold = new Promise((resolve) => {
      release = resolve;
    });
    const added = peer(4);
    const change = controller.upsertPeers(name, [added], 2);
    // Read while the change is under way (its peer not set yet): the interface as it was.
    const during = await controller.readLiveShared(name);
    expect(keysOf(during).has(added.publicKey)).toBe(false);
    release();
    await change;
    expect(keysOf(await controller.readLiveShared(name)).has(added.publicKey)).toBe(true);
  });

  it("shows a full apply, a drift repair and a removed interface at once", async () => {
    const { controller, spec, name } = await setup();
    await controller.readLiveShared(name);
    const next = [peer(5)];
    await controller.applyState({ revision: 2, interface: spec, peers: next });
    expect(keysOf(await controller.readLiveShared(name))).toEqual(new Set([next[0]?.publicKey]));

    // Removed by hand: seen within the window only through a change of the controller's own.
    await ns.exec("wg", ["set", name, "peer", next[0]?.publicKey as string, "remove"]);
    expect(keysOf(await controller.readLiveShared(name)).size).toBe(1);
    const report = await controller.repairDrift(name);
    expect(report.restored).toBe(1);
    expect(keysOf(await controller.readLiveShared(name))).toEqual(new Set([next[0]?.publicKey]));

    await controller.removeInterface(name);
    expect(await controller.readLiveShared(name)).toBeNull();
  });

  it("reads again once the window has passed: a change made by hand shows that late at most", async () => {
    const { controller, driver, name } = await setup(150);
    await controller.readLiveShared(name);
    const byHand = generateKeyPair().publicKey;
    await ns.exec("wg", ["set", name, "peer", byHand, "allowed-ips", "198.51.100.9/32"]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(keysOf(await controller.readLiveShared(name)).has(byHand)).toBe(true);
    expect(driver.reads).toBe(2);
  });
});

describe("SharedLiveReads", () => {
  const live: LiveInterface = { name: "wg0", publicKey: "", listenPort: 1, up: true, peers: [] };

  it("shares within the window, reads again after it, and never shares a failed read", async () => {
    let now = 0;
    let reads = 0;
    let fail = true;
    const shared = new SharedLiveReads(
      async () => {
        reads += 1;
        if (fail) throw new Error("socket gone");
        return live;
      },
      1_000,
      () => now,
    );
    await expect(shared.read("wg0")).rejects.toThrow("socket gone");
    fail = false;
    expect(await shared.read("wg0")).toBe(live);
    expect(reads).toBe(2);
    now = 1_000;
    await shared.read("wg0");
    expect(reads).toBe(2);
    now = 1_001;
    await shared.read("wg0");
    expect(reads).toBe(3);
    shared.invalidate("wg0");
    await shared.read("wg0");
    expect(reads).toBe(4);
  });

  it("keeps interfaces apart", async () => {
    const names: string[] = [];
    const shared = new SharedLiveReads(async (name) => {
      names.push(name);
      return { ...live, name };
    });
    expect((await shared.read("wg0"))?.name).toBe("wg0");
    expect((await shared.read("wg1"))?.name).toBe("wg1");
    shared.invalidate("wg1");
    await shared.read("wg0");
    await shared.read("wg1");
    expect(names).toEqual(["wg0", "wg1", "wg1"]);
  });
});
