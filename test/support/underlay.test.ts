// Reclaiming the underlay slots of dead owners, on the host's real records and routes. The records
// dir, the host's addresses and the guard route are shared with every test process running at the
// same time, so these tests only make records of their own (claimed first, then rewritten as a dead
// owner would have left them), never touch another process's live record, and give back what they made
// also when they fail.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdir, writeFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { runCommand } from "@wgfleet/wireguard";
import { afterEach, describe, expect, it } from "vitest";
import { uniqueName } from "./netns.js";
import { isOwnerAlive, type Owner, processStartTime, readRecord, STATE_DIR } from "./ownership.js";
import { missingPrerequisites, wireguardPrerequisites } from "./privileges.js";
import {
  allocateSlot,
  dropGuardWhenUnused,
  guardUnderlay,
  reclaimDeadSlots,
  releaseSlot,
  type Slot,
} from "./underlay.js";

const skip = missingPrerequisites(wireguardPrerequisites());

/** The owner of a process that has run and is gone (reaped), as a killed test process leaves it. */
async function goneOwner(): Promise<Owner> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const pid = child.pid as number;
  const startTime = await processStartTime(pid);
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
  if (startTime === null) throw new Error("could not read the start time of the short-lived process");
  return { pid, startTime };
}

/** An owner whose pid runs, but another process: this one, with another start time (a reused pid). */
function reusedPidOwner(): Owner {
  return { pid: process.pid, startTime: "1" };
}

/** The record a process killed after claiming `slot` for `namespace` leaves. */
async function leaveAsDead(slot: Slot, namespace: string, owner: Owner): Promise<void> {
  await writeFile(`${STATE_DIR}/slot-${slot.index}`, `${owner.pid} ${owner.startTime} ${namespace}\n`);
}

async function linkExists(name: string): Promise<boolean> {
  return runCommand("ip", ["link", "show", "dev", name]).then(
    () => true,
    () => false,
  );
}

async function guardPresent(): Promise<boolean> {
  return (await runCommand("ip", ["route", "show", "198.18.0.0/16"])).stdout.includes("unreachable");
}

/** Whether a slot record of a live owner exists (any test process's). */
async function liveSlotHeld(): Promise<boolean> {
  for (const entry of await readdir(STATE_DIR).catch(() => [] as string[])) {
    const index = /^slot-(\d+)$/.exec(entry)?.[1];
    if (index === undefined) continue;
    const record = await readRecord("slot", index);
    if (record && (await isOwnerAlive(record.owner))) return true;
  }
  return false;
}

describe.skipIf(skip)("underlay slots of dead owners", () => {
  /** What each test made: slots (with the namespace their record names) and host links. */
  const made: { slots: Array<[Slot, string]>; links: string[] } = { slots: [], links: [] };

  async function claimAs(namespace: string): Promise<Slot> {
    const slot = await allocateSlot(namespace);
    made.slots.push([slot, namespace]);
    return slot;
  }

  afterEach(async () => {
    for (const link of made.links.splice(0)) {
      if (await linkExists(link)) await runCommand("ip", ["link", "del", "dev", link]);
    }
    // releaseSlot removes a record only while it names that namespace: never one claimed since.
    for (const [slot, namespace] of made.slots.splice(0)) await releaseSlot(slot.index, namespace);
    await dropGuardWhenUnused();
  });

  it("the next allocation reclaims the slot of an owner that is gone and of one whose pid was reused", async () => {
    const goneNs = uniqueName("wul");
    const reusedNs = uniqueName("wul");
    const gone = await claimAs(goneNs);
    const reused = await claimAs(reusedNs);
    await leaveAsDead(gone, goneNs, await goneOwner());
    await leaveAsDead(reused, reusedNs, reusedPidOwner());

    const mine = await claimAs(uniqueName("wul"));
    // Reclaimed: no record names the dead namespaces any more (the slot may be claimed again already,
    // by this allocation or a parallel test's).
    expect((await readRecord("slot", String(gone.index)))?.extra).not.toBe(goneNs);
    expect((await readRecord("slot", String(reused.index)))?.extra).not.toBe(reusedNs);
    expect(await readRecord("slot", String(mine.index))).toMatchObject({
      owner: { pid: process.pid },
    });
    // Claims write their record aside and link it into place: nothing of ours is left aside.
    const aside = (await readdir(STATE_DIR)).filter((entry) => entry.startsWith(`.claim-${process.pid}-`));
    expect(aside).toEqual([]);
  });

  it("a dead owner's host veth goes with its slot; a live owner's slot and veth stay", async () => {
    const deadNs = uniqueName("wul");
    const liveNs = uniqueName("wul");
    for (const [namespace, slot] of [
      [deadNs, await claimAs(deadNs)],
      [liveNs, await claimAs(liveNs)],
    ] as const) {
      // What buildNamespace puts on the host, without the namespace (the veth's other end stays here).
      made.links.push(`${namespace}h`);
      await runCommand("ip", [
        "link",
        "add",
        "dev",
        `${namespace}h`,
        "type",
        "veth",
        "peer",
        "name",
        `${namespace}n`,
      ]);
      await runCommand("ip", ["address", "add", `${slot.hostAddress}/30`, "dev", `${namespace}h`]);
    }
    const [deadSlot, liveSlot] = [made.slots[0]?.[0] as Slot, made.slots[1]?.[0] as Slot];
    await leaveAsDead(deadSlot, deadNs, await goneOwner());

    // (A parallel test's allocation may reclaim it first: the count is not what this test checks.)
    await reclaimDeadSlots();
    expect(await linkExists(`${deadNs}h`)).toBe(false);
    expect((await readRecord("slot", String(deadSlot.index)))?.extra).not.toBe(deadNs);
    expect(await linkExists(`${liveNs}h`)).toBe(true);
    expect((await readRecord("slot", String(liveSlot.index)))?.extra).toBe(liveNs);
  });

  it("the guard route goes with the last live slot: a dead owner's record does not keep it", async () => {
    const deadNs = uniqueName("wul");
    const slot = await claimAs(deadNs);
    await guardUnderlay();
    await leaveAsDead(slot, deadNs, await goneOwner());

    await dropGuardWhenUnused();
    expect((await readRecord("slot", String(slot.index)))?.extra).not.toBe(deadNs);
    // Other test processes may claim and release slots meanwhile; once a reading is consistent, the
    // route is there exactly when a live slot is.
    let consistent = false;
    for (let attempt = 0; attempt < 50 && !consistent; attempt += 1) {
      const route = await guardPresent();
      consistent = route === (await liveSlotHeld()) && route === (await guardPresent());
      if (!consistent) await sleep(100);
    }
    expect(consistent).toBe(true);
  });
});
