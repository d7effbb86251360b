// Decides which desired peers may be on the kernel now, by their access rules (core's
// evaluatePeerAccess): expiry and weekly schedules by the clock, budgets by the bytes the BudgetMeter
// counted. The InterfaceController asks it before every driver call and on a tick; a peer that is off
// stays in the desired state and is reported as suspended, with its reason and since when.
//
// Cost: a peer is evaluated when it changes and when its next time-bound change is due (a min-heap of
// instants, no timer per peer); a tick with nothing due costs O(1) plus the live reads of the
// interfaces whose budgets are due to be metered. An interface is metered again before any of its
// budgeted peers could have used what it has left at ASSUMED_PEER_RATE, and at least every
// MAX_METER_INTERVAL_MS: a peer near its budget is read on every tick, one far from it seldom. A clock
// that jumps back makes every ruled peer be evaluated (and every budget metered) at the next tick.
import {
  evaluatePeerAccess,
  type LivePeer,
  nextAccessChangeAt,
  type PeerAccess,
  type PeerSpec,
  type SuspendedPeer,
  type SuspensionReason,
} from "@wgfleet/core";
import { type Logger, silentLogger } from "../logger.js";
import type { BudgetLedger } from "./budget-ledger.js";
import { BudgetMeter } from "./budget-meter.js";
import { type Clock, systemClock } from "./clock.js";
import { DueQueue } from "./due-queue.js";

export interface AccessGateOptions {
  clock?: Clock;
  /** Where budget counts survive restarts; in memory only when absent. */
  ledger?: BudgetLedger;
  logger?: Logger;
  /** Budget counts are saved at most this often (and at once when a budget runs out). Default 5 s. */
  saveIntervalMs?: number;
}

interface GatedPeer {
  spec: PeerSpec;
  off: { reason: SuspensionReason; since: number } | null;
  /** Bumped at each evaluation: due entries of an older generation are stale. */
  generation: number;
}

/** Transitions logged one by one per call; more are summed up (a schedule edge may flip thousands). */
const LOGGED_TRANSITIONS = 20;

/** The most bytes per second one peer is assumed to move (10 Gbit/s, beyond wireguard-go and most links). */
export const ASSUMED_PEER_RATE = 1.25e9;
/** Budgeted interfaces are metered at least this often, however far their peers are from their budgets. */
export const MAX_METER_INTERVAL_MS = 10_000;

export class AccessGate {
  /** Settles when the ledger is loaded; evaluations wait for it. */
  readonly ready: Promise<void>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly ledger: BudgetLedger | null;
  private readonly saveIntervalMs: number;
  private readonly meter = new BudgetMeter();
  private readonly interfaces = new Map<string, Map<string, GatedPeer>>();
  /**
   * Interface -> how many of its peers have access rules, kept with every change: `hasRules` is asked
   * after each peer operation, and walking every peer there made sequential creations O(n²).
   */
  private readonly ruled = new Map<string, number>();
  private readonly due = new DueQueue<{ name: string; publicKey: string }>();
  /** Interface -> when its budgeted peers must be metered next; absent: at the next tick. */
  private readonly meterAt = new Map<string, number>();
  private lastNow: number;
  private lastSave = 0;
  private saving: Promise<void> | null = null;
  private logged = 0;

  constructor(options: AccessGateOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.ledger = options.ledger ?? null;
    this.saveIntervalMs = options.saveIntervalMs ?? 5_000;
    this.lastNow = this.clock();
    this.ready = this.ledger ? this.ledger.load().then((usage) => this.meter.load(usage)) : Promise.resolve();
  }

  now(): number {
    return this.clock();
  }

  /** The interface's whole desired peer list (a full apply): peers not in it are forgotten. */
  setPeers(name: string, peers: readonly PeerSpec[]): void {
    const previous = this.interfaces.get(name) ?? new Map<string, GatedPeer>();
    const next = new Map<string, GatedPeer>();
    this.interfaces.set(name, next);
    const now = this.clock();
    this.beginLogging();
    this.ruled.set(name, 0);
    for (const spec of peers) {
      next.set(spec.publicKey, this.admit(name, spec, previous.get(spec.publicKey), now));
      this.countRules(name, undefined, spec);
    }
    for (const publicKey of previous.keys()) if (!next.has(publicKey)) this.meter.forget(publicKey);
    this.endLogging();
  }

  /** Peer operations. Returns the upserted keys that are on now but were not on before (new or back). */
  updatePeers(name: string, upsert: readonly PeerSpec[], remove: readonly string[]): string[] {
    const peers = this.peersOf(name);
    const now = this.clock();
    const cameOn: string[] = [];
    this.beginLogging();
    for (const publicKey of remove) {
      const before = peers.get(publicKey);
      if (!before) continue;
      peers.delete(publicKey);
      this.meter.forget(publicKey);
      this.countRules(name, before.spec, undefined);
    }
    for (const spec of upsert) {
      const before = peers.get(spec.publicKey);
      const gated = this.admit(name, spec, before, now);
      peers.set(spec.publicKey, gated);
      this.countRules(name, before?.spec, spec);
      if (gated.off === null && (before === undefined || before.off !== null)) cameOn.push(spec.publicKey);
    }
    this.endLogging();
    return cameOn;
  }

  dropInterface(name: string): void {
    for (const publicKey of this.interfaces.get(name)?.keys() ?? []) this.meter.forget(publicKey);
    this.interfaces.delete(name);
    this.ruled.delete(name);
    this.meterAt.delete(name);
  }

  isOn(name: string, publicKey: string): boolean {
    return this.interfaces.get(name)?.get(publicKey)?.off === null;
  }

  spec(name: string, publicKey: string): PeerSpec | undefined {
    return this.interfaces.get(name)?.get(publicKey)?.spec;
  }

  suspendedPeers(name: string): SuspendedPeer[] {
    const suspended: SuspendedPeer[] = [];
    for (const [publicKey, peer] of this.interfaces.get(name) ?? []) {
      if (peer.off) suspended.push({ publicKey, reason: peer.off.reason, since: peer.off.since });
    }
    return suspended;
  }

  /** Keeps `ruled` in step with one peer's spec replaced (either side absent: added or removed). */
  private countRules(name: string, before: PeerSpec | undefined, after: PeerSpec | undefined): void {
    const delta = (after?.access !== undefined ? 1 : 0) - (before?.access !== undefined ? 1 : 0);
    if (delta !== 0) this.ruled.set(name, (this.ruled.get(name) ?? 0) + delta);
  }

  /** Whether any peer has rules: only then does the controller tick. */
  hasRules(): boolean {
    for (const count of this.ruled.values()) if (count > 0) return true;
    return false;
  }

  /** Interfaces with a budgeted peer that is on and due to be metered: their live counters are read now. */
  interfacesToMeter(now = this.clock()): string[] {
    const names: string[] = [];
    for (const [name, peers] of this.interfaces) {
      if ((this.meterAt.get(name) ?? now) > now) continue;
      for (const peer of peers.values()) {
        if (peer.off === null && peer.spec.access?.budget) {
          names.push(name);
          break;
        }
      }
    }
    return names;
  }

  /**
   * Time passed: evaluates the peers whose next change is due (all ruled peers when the clock went
   * back). Returns, per interface, the keys whose verdict flipped.
   */
  advance(now = this.clock()): Map<string, string[]> {
    const flipped = new Map<string, string[]>();
    const jumpedBack = now < this.lastNow;
    this.lastNow = now;
    this.beginLogging();
    if (jumpedBack) {
      this.due.clear();
      this.meterAt.clear();
      for (const [name, peers] of this.interfaces) {
        for (const [publicKey, peer] of peers) {
          if (peer.spec.access !== undefined && this.evaluate(name, publicKey, peer, now))
            addTo(flipped, name, publicKey);
        }
      }
    } else {
      for (const entry of this.due.popDue(now)) {
        const { name, publicKey } = entry.item;
        const peer = this.interfaces.get(name)?.get(publicKey);
        if (!peer || peer.generation !== entry.generation) continue;
        if (this.evaluate(name, publicKey, peer, now)) addTo(flipped, name, publicKey);
      }
    }
    this.endLogging();
    return flipped;
  }

  /** Counts the live counters of the interface's budgeted peers; returns the keys that ran out. */
  countTraffic(name: string, live: readonly LivePeer[], now = this.clock()): string[] {
    const peers = this.interfaces.get(name);
    if (!peers) return [];
    const ranOut: string[] = [];
    let headroom = Number.POSITIVE_INFINITY;
    this.beginLogging();
    for (const livePeer of live) {
      const peer = peers.get(livePeer.publicKey);
      const budget = peer?.spec.access?.budget;
      if (!peer || !budget || peer.off !== null) continue;
      this.meter.read(livePeer, budget);
      const left = budget.bytesLeft - this.meter.used(livePeer.publicKey);
      if (left > 0) headroom = Math.min(headroom, left);
      else if (this.evaluate(name, livePeer.publicKey, peer, now)) ranOut.push(livePeer.publicKey);
    }
    this.endLogging();
    this.meterAt.set(name, now + Math.min(MAX_METER_INTERVAL_MS, (headroom / ASSUMED_PEER_RATE) * 1000));
    if (ranOut.length > 0) this.lastSave = 0;
    return ranOut;
  }

  /** Bytes counted against the peer's current budget. */
  usedBytes(publicKey: string): number {
    return this.meter.used(publicKey);
  }

  /** The controller (re)created these peers on the kernel right after reading it: counters start at 0. */
  countersRestarted(publicKeys: readonly string[]): void {
    for (const publicKey of publicKeys) this.meter.countersRestarted(publicKey);
  }

  /** The controller put these peers on the kernel without a reading: count from the next reading. */
  countersUnknown(publicKeys: readonly string[]): void {
    for (const publicKey of publicKeys) this.meter.countersUnknown(publicKey);
  }

  /**
   * Gives every one of `publicKeys` whose budget has no starting point one from the live interface
   * read just now: its counters when it is live, 0 when the caller is about to create it. So a budget
   * counts from the moment the node first saw its id, not from the next tick.
   */
  settleBaselines(publicKeys: readonly string[], live: readonly LivePeer[]): void {
    const unsettled = publicKeys.filter((publicKey) => this.meter.needsBaseline(publicKey));
    if (unsettled.length === 0) return;
    const liveByKey = new Map(live.map((peer) => [peer.publicKey, peer]));
    for (const publicKey of unsettled) {
      const peer = liveByKey.get(publicKey);
      this.meter.setBaseline(publicKey, peer?.rxBytes ?? 0, peer?.txBytes ?? 0);
    }
  }

  /** Whether any of the keys has a budget with no starting point (then the controller reads live). */
  needsBaseline(publicKeys: readonly string[]): boolean {
    return publicKeys.some((publicKey) => this.meter.needsBaseline(publicKey));
  }

  /** Saves the budget counts when they changed and the last save is old enough (or `force`). */
  async save(force = false): Promise<void> {
    if (!this.ledger || !this.meter.dirty) return;
    const now = this.clock();
    if (!force && Math.abs(now - this.lastSave) < this.saveIntervalMs) return;
    await this.saving;
    this.lastSave = now;
    const ledger = this.ledger;
    const saving = ledger.save(this.meter.snapshot());
    this.saving = saving.catch(() => {});
    try {
      await saving;
    } catch (error) {
      this.logger.error({ err: error }, "could not save the budget counts");
    }
  }

  // ---- evaluation ----------------------------------------------------------------------------------

  /** A desired peer, new or changed: its budget tracked, its verdict evaluated now. */
  private admit(name: string, spec: PeerSpec, before: GatedPeer | undefined, now: number): GatedPeer {
    const budget = spec.access?.budget;
    if (budget) {
      this.meter.track(spec.publicKey, budget);
      this.meterAt.delete(name);
    } else this.meter.forget(spec.publicKey);
    const peer: GatedPeer = { spec, off: before?.off ?? null, generation: (before?.generation ?? 0) + 1 };
    const wasOn = before === undefined ? true : before.off === null;
    if (spec.access === undefined) {
      peer.off = null;
      if (!wasOn) this.logTransition(name, spec.publicKey, null);
      return peer;
    }
    const flipped = this.evaluate(name, spec.publicKey, peer, now, wasOn);
    if (!flipped && before === undefined && peer.off)
      this.logTransition(name, spec.publicKey, peer.off.reason);
    return peer;
  }

  /** Evaluates one peer and schedules its next time-bound change. Returns whether it flipped. */
  private evaluate(
    name: string,
    publicKey: string,
    peer: GatedPeer,
    now: number,
    wasOn = peer.off === null,
  ): boolean {
    const access = peer.spec.access;
    const verdict = evaluatePeerAccess(access, now, this.meter.used(publicKey));
    if (verdict.on) peer.off = null;
    else if (peer.off?.reason !== verdict.reason)
      peer.off = { reason: verdict.reason, since: sinceOf(verdict.reason, access, now) };
    peer.generation += 1;
    const next = nextAccessChangeAt(access, now);
    if (next !== null) this.due.push({ at: next, item: { name, publicKey }, generation: peer.generation });
    const flipped = wasOn !== (peer.off === null);
    if (flipped) this.logTransition(name, publicKey, peer.off?.reason ?? null);
    // A budgeted peer back on was not in the interface's headroom: meter it at the next tick.
    if (flipped && peer.off === null && access?.budget) this.meterAt.delete(name);
    return flipped;
  }

  private peersOf(name: string): Map<string, GatedPeer> {
    let peers = this.interfaces.get(name);
    if (!peers) {
      peers = new Map();
      this.interfaces.set(name, peers);
    }
    return peers;
  }

  // ---- logging -------------------------------------------------------------------------------------

  private beginLogging(): void {
    this.logged = 0;
  }

  private logTransition(name: string, publicKey: string, reason: SuspensionReason | null): void {
    this.logged += 1;
    if (this.logged > LOGGED_TRANSITIONS) return;
    // A quota suspension names the count that crossed the budget: what the operator asks first.
    const used = reason === "quota" ? { usedBytes: this.meter.used(publicKey) } : {};
    if (reason) this.logger.info({ interface: name, publicKey, reason, ...used }, "peer suspended");
    else this.logger.info({ interface: name, publicKey }, "peer restored");
  }

  private endLogging(): void {
    if (this.logged > LOGGED_TRANSITIONS)
      this.logger.info(
        { transitions: this.logged, logged: LOGGED_TRANSITIONS },
        "more peers suspended or restored",
      );
    this.logged = 0;
  }
}

/** An expiry began at notAfter (also before this process saw it); other reasons when first seen. */
function sinceOf(reason: SuspensionReason, access: PeerAccess | undefined, now: number): number {
  if (reason === "expired" && access?.notAfter !== undefined) return Math.min(access.notAfter, now);
  return now;
}

function addTo(map: Map<string, string[]>, name: string, publicKey: string): void {
  const list = map.get(name);
  if (list) list.push(publicKey);
  else map.set(name, [publicKey]);
}
