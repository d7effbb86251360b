// Counts the bytes each budgeted peer moves from the live counters. Live counters restart at 0 when a
// peer is (re)created on the interface, so the meter keeps its own total per budget id: each reading
// adds what the counters grew since the last one (or, when they went down, everything they show now).
// The controller says when it re-creates a peer (countersRestarted), so a re-added peer that already
// moved more than before is not mistaken for one that kept its counters.
import type { LivePeer, TrafficBudget } from "@wgfleet/core";
import type { BudgetUsage } from "./budget-ledger.js";

interface Meter {
  budgetId: string;
  usedBytes: number;
  rxBytes: number | null;
  txBytes: number | null;
}

export class BudgetMeter {
  /** public key -> the meter of its current budget. */
  private readonly meters = new Map<string, Meter>();
  /** Loaded usage no peer has claimed yet, by "key budgetId". */
  private readonly unclaimed = new Map<string, BudgetUsage>();
  private changed = false;

  load(usage: readonly BudgetUsage[]): void {
    for (const entry of usage) this.unclaimed.set(`${entry.publicKey} ${entry.budgetId}`, { ...entry });
  }

  /** A peer with this budget is desired: the same id keeps its count, a new id starts at 0. */
  track(publicKey: string, budget: TrafficBudget): void {
    if (this.meters.get(publicKey)?.budgetId === budget.id) return;
    const saved = this.unclaimed.get(`${publicKey} ${budget.id}`);
    this.unclaimed.delete(`${publicKey} ${budget.id}`);
    this.meters.set(
      publicKey,
      saved
        ? { budgetId: budget.id, usedBytes: saved.usedBytes, rxBytes: saved.rxBytes, txBytes: saved.txBytes }
        : { budgetId: budget.id, usedBytes: 0, rxBytes: null, txBytes: null },
    );
    this.changed = true;
  }

  /** The peer left the desired state or lost its budget: its count goes. */
  forget(publicKey: string): void {
    if (this.meters.delete(publicKey)) this.changed = true;
  }

  used(publicKey: string): number {
    return this.meters.get(publicKey)?.usedBytes ?? 0;
  }

  /** The peer was just (re)created on the kernel: its counters start at 0 now. */
  countersRestarted(publicKey: string): void {
    const meter = this.meters.get(publicKey);
    if (!meter) return;
    meter.rxBytes = 0;
    meter.txBytes = 0;
    this.changed = true;
  }

  /** The peer was put on the kernel without a reading in between: count from its next reading on. */
  countersUnknown(publicKey: string): void {
    const meter = this.meters.get(publicKey);
    if (!meter) return;
    meter.rxBytes = null;
    meter.txBytes = null;
  }

  /** Adds what the live counters moved since the last reading; returns the bytes counted. */
  read(live: LivePeer, budget: TrafficBudget): number {
    const meter = this.meters.get(live.publicKey);
    if (!meter) return 0;
    const rx = grown(meter.rxBytes, live.rxBytes);
    const tx = grown(meter.txBytes, live.txBytes);
    meter.rxBytes = live.rxBytes;
    meter.txBytes = live.txBytes;
    const counted = budget.counting === "rx" ? rx : budget.counting === "tx" ? tx : rx + tx;
    if (counted > 0 || rx > 0 || tx > 0) this.changed = true;
    meter.usedBytes += counted;
    return counted;
  }

  /** Whether anything changed since the last `snapshot()`. */
  get dirty(): boolean {
    return this.changed;
  }

  /** Everything to save (claimed and still unclaimed usage); clears `dirty`. */
  snapshot(): BudgetUsage[] {
    this.changed = false;
    const usage: BudgetUsage[] = [...this.unclaimed.values()].map((entry) => ({ ...entry }));
    for (const [publicKey, meter] of this.meters) usage.push({ publicKey, ...meter });
    return usage;
  }
}

/** Bytes a counter moved since `before`: the growth, or all it shows when it restarted; 0 on a first reading. */
function grown(before: number | null, now: number): number {
  if (before === null) return 0;
  return now >= before ? now - before : now;
}
