// The underlay between the host and test namespaces: one /30 per namespace out of 198.18.0.0/16,
// chosen by reading the host's addresses first. Refuses to start when that range overlaps an address
// it did not expect; never puts anything from 192.0.2.0/24 or fd00::/8 (the uplink) on the host.

import { readdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { runCommand } from "@wgfleet/wireguard";
import { claim, isAbandoned, readRecord, release, STATE_DIR } from "./ownership.js";

/**
 * 198.18.0.0/16, of which the first 1,024 /30s (198.18.0.0 – 198.18.15.255) are handed out: room for
 * hundreds of namespaces at once (a scale test's agents) while a slot scan stays short.
 */
export const UNDERLAY = { base: "198.18.0.0", prefix: 16, slots: 1024 } as const;
export const UNDERLAY_CIDR = `${UNDERLAY.base}/${UNDERLAY.prefix}`;

export interface Slot {
  index: number;
  hostAddress: string;
  nsAddress: string;
}

interface AddrInfo {
  family: string;
  local: string;
  prefixlen: number;
}

export function slotAddresses(index: number): Slot {
  const first = toNumber(UNDERLAY.base) + index * 4;
  return { index, hostAddress: toAddress(first + 1), nsAddress: toAddress(first + 2) };
}

/** The /30 slot a host IPv4 address falls into, or null outside 198.18.0.0/16. */
export function slotOf(address: string): number | null {
  if (!overlapsUnderlay(address, 32)) return null;
  return Math.floor((toNumber(address) - toNumber(UNDERLAY.base)) / 4);
}

/** Whether a host address with this prefix reaches into 198.18.0.0/16. */
export function overlapsUnderlay(address: string, prefixlen: number): boolean {
  const span = Math.min(prefixlen, UNDERLAY.prefix);
  const mask = span === 0 ? 0 : (0xffffffff << (32 - span)) >>> 0;
  return (toNumber(address) & mask) >>> 0 === (toNumber(UNDERLAY.base) & mask) >>> 0;
}

function toNumber(address: string): number {
  return address.split(".").reduce((n, part) => (n * 256 + Number(part)) >>> 0, 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/**
 * Slots taken by addresses on the host. Throws when an address overlaps the underlay in a way our
 * harness never makes (wider than a /30, e.g. a /24 bridge): better to stop than to break routing.
 */
export async function usedSlots(): Promise<Set<number>> {
  const { stdout } = await runCommand("ip", ["-j", "-4", "address", "show"]);
  const used = new Set<number>();
  for (const link of JSON.parse(stdout) as Array<{ ifname: string; addr_info?: AddrInfo[] }>) {
    for (const addr of link.addr_info ?? []) {
      if (addr.family !== "inet" || !overlapsUnderlay(addr.local, addr.prefixlen)) continue;
      if (addr.prefixlen < 30) {
        throw new Error(
          `${UNDERLAY_CIDR} overlaps ${addr.local}/${addr.prefixlen} on ${link.ifname}, which this harness did not make; refusing to start`,
        );
      }
      used.add(slotOf(addr.local) as number);
    }
  }
  return used;
}

/**
 * Claims a free /30 for `namespace`, after reclaiming the slots of dead owners: a run that was killed
 * or interrupted leaves records nothing else removes (its prefix's cleanupStale only finds namespaces
 * that still exist), and the guard route stays as long as any record does.
 */
export async function allocateSlot(namespace: string): Promise<Slot> {
  await reclaimDeadSlots();
  const used = await usedSlots();
  for (let index = 0; index < UNDERLAY.slots; index += 1) {
    if (used.has(index)) continue;
    if (await claim("slot", String(index), namespace)) return slotAddresses(index);
  }
  throw new Error(`no free /30 left in ${UNDERLAY_CIDR} for a test namespace`);
}

/**
 * Gives the slot back, but only while its record still names `namespace`: a second teardown of a
 * namespace (or a stale cleanup reading an old record) must not free a slot another namespace has
 * claimed since — that left a live veth's address without a record, and fleets refused to start.
 * Under the underlay lock, so that no other release or reclaim removes the record between the
 * reading and the removal (a new claim only creates a record where none is).
 */
export async function releaseSlot(index: number, namespace: string): Promise<void> {
  await withUnderlayLock(async () => {
    const record = await readRecord("slot", String(index));
    if (record && record.extra !== namespace) return;
    await release("slot", String(index));
  });
}

/**
 * Reclaims every slot whose owner is dead (ownership.ts isAbandoned: pid and kernel start time, so a
 * reused pid does not keep a dead owner's slot): its host veth goes, then its record. Returns how
 * many. The dead namespace itself stays for its prefix's cleanupStale (it may hold processes to stop).
 */
export async function reclaimDeadSlots(): Promise<number> {
  let reclaimed = 0;
  for (const index of await slotsWithDeadOwners()) {
    // One slot per lock hold: a dead fleet's hundred slots must not keep others' releases waiting.
    if (await withUnderlayLock(() => reclaimSlot(index))) reclaimed += 1;
  }
  return reclaimed;
}

async function slotsWithDeadOwners(): Promise<number[]> {
  const dead: number[] = [];
  for (const index of await claimedSlots()) if (await isAbandoned("slot", String(index))) dead.push(index);
  return dead;
}

/** Every slot with a record, whoever owns it. */
async function claimedSlots(): Promise<number[]> {
  const entries = await readdir(STATE_DIR).catch(() => [] as string[]);
  return entries.flatMap((entry) => {
    const index = /^slot-(\d+)$/.exec(entry)?.[1];
    return index === undefined ? [] : [Number(index)];
  });
}

/**
 * With the lock held: the record is read again (its owner may have released it, and someone else
 * claimed the slot, since the scan). The record goes only once no host link holds the slot's address,
 * else the address would count as foreign (underlay-guard.ts) and fleets would refuse to start. A
 * link that holds it under another name than the record's veth is left alone, and so is the record.
 */
async function reclaimSlot(index: number): Promise<boolean> {
  if (!(await isAbandoned("slot", String(index)))) return false;
  const record = await readRecord("slot", String(index));
  if (!record) return false;
  const { hostAddress } = slotAddresses(index);
  const holder = await linkHolding(hostAddress);
  if (holder !== null) {
    if (holder !== `${record.extra}h`) return false;
    await runCommand("ip", ["link", "del", "dev", holder]).catch(() => {});
    if ((await linkHolding(hostAddress)) !== null) return false;
  }
  await release("slot", String(index));
  return true;
}

/** The host link that holds this IPv4 address, or null. */
async function linkHolding(address: string): Promise<string | null> {
  const { stdout } = await runCommand("ip", ["-j", "-4", "address", "show"]);
  for (const link of JSON.parse(stdout) as Array<{ ifname: string; addr_info?: AddrInfo[] }>) {
    if ((link.addr_info ?? []).some((addr) => addr.local === address)) return link.ifname;
  }
  return null;
}

// ---- the guard route ------------------------------------------------------------------------------

const GUARD = ["unreachable", UNDERLAY_CIDR];

/**
 * The host forwards what arrives on our veths. Without this route, a packet from a namespace to an
 * underlay address that no namespace holds would follow the host's default route out of the uplink;
 * with it, it is refused (connected /30s are more specific and win). Called once the caller's slot is
 * claimed; the route stays while any slot is claimed and goes with the last one (dropGuardWhenUnused).
 */
export async function guardUnderlay(): Promise<void> {
  await withUnderlayLock(() => runCommand("ip", ["route", "replace", ...GUARD]));
}

/**
 * Removes the guard route when no slot is claimed any more, so a run leaves the host's table as it
 * found it. Dead owners' slots are reclaimed first: their records must not keep the route forever.
 */
export async function dropGuardWhenUnused(): Promise<void> {
  await reclaimDeadSlots();
  await withUnderlayLock(async () => {
    if ((await claimedSlots()).length > 0) return;
    await runCommand("ip", ["route", "del", ...GUARD]).catch(() => {});
  });
}

/**
 * One process at a time adds or removes the guard and releases or reclaims a slot: a removal that saw
 * no claimed slot cannot undo the route a namespace claimed just after (its add waits for the lock),
 * and a record is read and removed in one step. A dead holder's lock is taken over. (The record keeps
 * the name it had when it guarded the route only, so processes of older code still take the same lock.)
 */
async function withUnderlayLock<T>(body: () => Promise<T>): Promise<T> {
  for (let attempt = 0; !(await claim("lock", "underlay-guard")); attempt += 1) {
    if (await isAbandoned("lock", "underlay-guard")) await release("lock", "underlay-guard");
    else if (attempt > 400) throw new Error("the underlay lock stayed taken for 10 s");
    else await sleep(25);
  }
  try {
    return await body();
  } finally {
    await release("lock", "underlay-guard");
  }
}
