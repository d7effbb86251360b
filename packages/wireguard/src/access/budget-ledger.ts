// The persistence port of traffic budgets: what a node has counted against each budget id, kept
// across restarts so a budget is neither reset nor counted twice. The agent keeps it in its state dir,
// the dashboard's local node in its data dir (FileBudgetLedger); tests use MemoryBudgetLedger.

/** One budget's count: bytes used since the node first saw `budgetId`, and the live counters it last read. */
export interface BudgetUsage {
  publicKey: string;
  budgetId: string;
  usedBytes: number;
  /**
   * The peer's live counters (`wg show … transfer`) when `usedBytes` was last brought up to date:
   * after a restart, counting resumes from them, so nothing is counted twice or lost. null when the
   * node has not read them yet.
   */
  rxBytes: number | null;
  txBytes: number | null;
}

export interface BudgetLedger {
  /** Every saved usage; none on a first start. */
  load(): Promise<BudgetUsage[]>;
  /** Replaces what is saved with `usage`, durably. */
  save(usage: BudgetUsage[]): Promise<void>;
}

/** A ledger in memory (tests; a controller given no ledger forgets its counts on restart). */
export class MemoryBudgetLedger implements BudgetLedger {
  saved: BudgetUsage[] = [];
  saves = 0;

  constructor(initial: BudgetUsage[] = []) {
    this.saved = initial.map((usage) => ({ ...usage }));
  }

  async load(): Promise<BudgetUsage[]> {
    return this.saved.map((usage) => ({ ...usage }));
  }

  async save(usage: BudgetUsage[]): Promise<void> {
    this.saved = usage.map((entry) => ({ ...entry }));
    this.saves += 1;
  }
}
