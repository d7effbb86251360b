// The controller's access enforcement over the real driver and real wireguard-go in a namespace, on
// an injected clock: a peer whose access is off stays in the desired state but off the kernel through
// applies, peer operations and drift repair; the tick notices a clock jump. `wg show` run inside the
// namespace is the judge.
import { generateKeyPair, type InterfaceSpec, type PeerSpec } from "@wgfleet/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cleanupStale, createNamespace, type TestNamespace } from "../../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../../test/support/privileges.js";
import { MemoryBudgetLedger } from "../access/budget-ledger.js";
import { SystemWireGuardDriver } from "../system/system-driver.js";
import { InterfaceController } from "./interface-controller.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "wda";
const DAY = 86_400_000;
// Monday 2026-01-12 10:00 UTC.
const START = Date.parse("2026-01-12T10:00:00Z");

function peer(last: number, extra: Partial<PeerSpec> = {}): PeerSpec {
  return { publicKey: generateKeyPair().publicKey, allowedIps: [`198.51.100.${last}/32`], ...extra };
}

describe.skipIf(skip)("access enforcement with real wireguard-go", () => {
  let ns: TestNamespace;
  let counter = 0;
  const made: string[] = [];
  const controllers: InterfaceController[] = [];

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    ns = await createNamespace(PREFIX);
  });

  afterEach(async () => {
    for (const controller of controllers.splice(0)) await controller.close();
    const driver = new SystemWireGuardDriver({ netns: ns.name });
    for (const name of made.splice(0)) await driver.removeInterface(name);
  });

  afterAll(async () => {
    await ns?.destroy();
  });

  function setup(accessTickMs = 60_000) {
    const clock = { now: START };
    counter += 1;
    const name = `${ns.name}${counter}`;
    made.push(name);
    const spec: InterfaceSpec = {
      name,
      privateKey: generateKeyPair().privateKey,
      listenPort: 52100 + counter,
      addresses: ["198.51.100.1/24"],
    };
    const ledger = new MemoryBudgetLedger();
    const controller = new InterfaceController(new SystemWireGuardDriver({ netns: ns.name }), {
      access: { clock: () => clock.now, ledger },
      accessTickMs,
    });
    controllers.push(controller);
    return { controller, spec, name, clock, ledger };
  }

  async function liveKeys(name: string): Promise<string[]> {
    const { stdout } = await ns.exec("wg", ["show", name, "peers"]);
    return stdout.split("\n").filter(Boolean).sort();
  }

  it("keeps an expired peer off the kernel but in the desired state, and takes one off when it expires", async () => {
    const { controller, spec, name, clock } = setup();
    const expired = peer(2, { access: { notAfter: START - 1 } });
    const soon = peer(3, { access: { notAfter: START + 5_000 } });
    const plain = peer(4);
    await controller.applyState({ revision: 1, interface: spec, peers: [expired, soon, plain] });
    expect(await liveKeys(name)).toEqual([soon.publicKey, plain.publicKey].sort());
    expect(
      controller
        .desiredState(name)
        ?.peers.map((p) => p.publicKey)
        .sort(),
    ).toEqual([expired, soon, plain].map((p) => p.publicKey).sort());
    expect(controller.suspendedPeers(name)).toEqual([
      { publicKey: expired.publicKey, reason: "expired", since: START - 1 },
    ]);

    clock.now = START + 4_999;
    await controller.checkAccess();
    expect(await liveKeys(name)).toContain(soon.publicKey);
    clock.now = START + 5_000;
    await controller.checkAccess();
    expect(await liveKeys(name)).toEqual([plain.publicKey]);
    expect(
      controller
        .suspendedPeers(name)
        .map((s) => s.publicKey)
        .sort(),
    ).toEqual([expired.publicKey, soon.publicKey].sort());

    // Drift repair neither restores a suspended peer nor calls it a stray.
    const report = await controller.repairDrift(name);
    expect(report).toMatchObject({ restored: 0, stray: [] });
    expect(await liveKeys(name)).toEqual([plain.publicKey]);

    // Renewal through a peer operation: back on the kernel.
    await controller.upsertPeers(name, [{ ...soon, access: { notAfter: START + DAY } }], 2);
    expect(await liveKeys(name)).toEqual([soon.publicKey, plain.publicKey].sort());
    expect(controller.suspendedPeers(name).map((s) => s.publicKey)).toEqual([expired.publicKey]);
  });

  it("drift repair removes a suspended peer someone put back by hand, and reports it as no stray", async () => {
    const { controller, spec, name } = setup();
    const expired = peer(2, { access: { notAfter: START - 1 } });
    await controller.applyState({ revision: 1, interface: spec, peers: [expired] });
    await ns.exec("wg", ["set", name, "peer", expired.publicKey, "allowed-ips", "198.51.100.2/32"]);
    expect(await liveKeys(name)).toEqual([expired.publicKey]);
    const report = await controller.repairDrift(name);
    expect(report.stray).toEqual([]);
    expect(await liveKeys(name)).toEqual([]);
  });

  it("peer operations never put a suspended peer on the kernel", async () => {
    const { controller, spec, name } = setup();
    await controller.applyState({ revision: 1, interface: spec, peers: [] });
    const closed = peer(5, {
      access: { schedule: { timeZone: "UTC", windows: [{ days: [0], from: "00:00", to: "01:00" }] } },
    });
    const open = peer(6, {
      access: {
        schedule: { timeZone: "Europe/Berlin", windows: [{ days: [1], from: "09:00", to: "17:00" }] },
      },
    });
    await controller.upsertPeers(name, [closed, open], 2);
    expect(await liveKeys(name)).toEqual([open.publicKey]);
    expect(controller.suspendedPeers(name)).toEqual([
      { publicKey: closed.publicKey, reason: "schedule", since: START },
    ]);
  });

  it("follows the schedule on the clock: off at the window's end, back at the next window", async () => {
    const { controller, spec, name, clock } = setup();
    // Berlin office hours; 10:00Z on a Monday in January is 11:00 there. Ends at 16:00Z.
    const worker = peer(7, {
      access: {
        schedule: {
          timeZone: "Europe/Berlin",
          windows: [{ days: [1, 2, 3, 4, 5], from: "09:00", to: "17:00" }],
        },
      },
    });
    await controller.applyState({ revision: 1, interface: spec, peers: [worker] });
    expect(await liveKeys(name)).toEqual([worker.publicKey]);
    clock.now = Date.parse("2026-01-12T16:00:00Z");
    await controller.checkAccess();
    expect(await liveKeys(name)).toEqual([]);
    expect(controller.suspendedPeers(name)[0]?.reason).toBe("schedule");
    // Jump to Tuesday 08:00Z = 09:00 in Berlin.
    clock.now = Date.parse("2026-01-13T08:00:00Z");
    await controller.checkAccess();
    expect(await liveKeys(name)).toEqual([worker.publicKey]);
    expect(controller.suspendedPeers(name)).toEqual([]);
    // A clock that jumps back into the night is noticed too.
    clock.now = Date.parse("2026-01-13T02:00:00Z");
    await controller.checkAccess();
    expect(await liveKeys(name)).toEqual([]);
  });

  it("its own tick notices a clock jump within a tick", async () => {
    const { controller, spec, name, clock } = setup(200);
    const soon = peer(8, { access: { notAfter: START + 3 * DAY } });
    await controller.applyState({ revision: 1, interface: spec, peers: [soon] });
    expect(await liveKeys(name)).toEqual([soon.publicKey]);
    clock.now = START + 3 * DAY;
    const deadline = Date.now() + 3_000;
    while ((await liveKeys(name)).length > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await liveKeys(name)).toEqual([]);
  });

  it("a new budget id restores a peer its budget cut off; bytesLeft 0 is off at once", async () => {
    const { controller, spec, name } = setup();
    const capped = peer(9, { access: { budget: { id: "b1", bytesLeft: 0, counting: "total" } } });
    await controller.applyState({ revision: 1, interface: spec, peers: [capped] });
    expect(await liveKeys(name)).toEqual([]);
    expect(controller.suspendedPeers(name)[0]?.reason).toBe("quota");
    await controller.upsertPeers(
      name,
      [{ ...capped, access: { budget: { id: "b2", bytesLeft: 1_000, counting: "rx" } } }],
      2,
    );
    expect(await liveKeys(name)).toEqual([capped.publicKey]);
    // Counters are read on the tick; without traffic nothing is used.
    await controller.checkAccess();
    expect(controller.gate.usedBytes(capped.publicKey)).toBe(0);
    expect(await liveKeys(name)).toEqual([capped.publicKey]);
  });

  it("removing the interface forgets its suspended peers", async () => {
    const { controller, spec, name } = setup();
    await controller.applyState({
      revision: 1,
      interface: spec,
      peers: [peer(2, { access: { notAfter: 0 } })],
    });
    expect(controller.suspendedPeers(name)).toHaveLength(1);
    await controller.removeInterface(name);
    made.splice(made.indexOf(name), 1);
    expect(controller.suspendedPeers(name)).toEqual([]);
  });
});
