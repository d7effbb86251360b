// A BudgetLedger in one JSON file: written atomically (temp file 0600, fsync, rename, fsync of the
// folder), so a crash leaves the old count or the new one, never half of either. A missing file is a
// first start; a file that does not parse is an error (counts must not silently start again at 0).
import { constants } from "node:fs";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { BudgetLedger, BudgetUsage } from "./budget-ledger.js";

export const BUDGET_FILE_FORMAT = 1;

export class FileBudgetLedger implements BudgetLedger {
  constructor(readonly path: string) {}

  async load(): Promise<BudgetUsage[]> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const parsed = JSON.parse(text) as { format?: unknown; budgets?: unknown };
    if (parsed.format !== BUDGET_FILE_FORMAT || !Array.isArray(parsed.budgets)) {
      throw new Error(`budget file ${this.path} has an unknown format`);
    }
    return parsed.budgets.filter(isUsage);
  }

  async save(usage: BudgetUsage[]): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`;
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(JSON.stringify({ format: BUDGET_FILE_FORMAT, budgets: usage }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    const folder = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

function isUsage(value: unknown): value is BudgetUsage {
  const usage = value as BudgetUsage;
  const counter = (n: unknown) => n === null || (typeof n === "number" && Number.isSafeInteger(n) && n >= 0);
  return (
    typeof value === "object" &&
    value !== null &&
    typeof usage.publicKey === "string" &&
    typeof usage.budgetId === "string" &&
    Number.isSafeInteger(usage.usedBytes) &&
    usage.usedBytes >= 0 &&
    counter(usage.rxBytes) &&
    counter(usage.txBytes)
  );
}
