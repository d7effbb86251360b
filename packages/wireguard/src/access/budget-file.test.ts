import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileBudgetLedger } from "./budget-file.js";

describe("FileBudgetLedger", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-budget-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is empty at first, then loads what it saved, in a 0600 file with no temp file left", async () => {
    const ledger = new FileBudgetLedger(join(dir, "state", "budgets.json"));
    expect(await ledger.load()).toEqual([]);
    const usage = [{ publicKey: "k", budgetId: "b1", usedBytes: 1234, rxBytes: 10, txBytes: null }];
    await ledger.save(usage);
    await ledger.save(usage);
    expect(await new FileBudgetLedger(ledger.path).load()).toEqual(usage);
    expect((await stat(ledger.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, "state"))).toEqual(["budgets.json"]);
  });

  it("refuses a file it cannot read rather than start counting at 0", async () => {
    const path = join(dir, "budgets.json");
    await writeFile(path, JSON.stringify({ format: 99, budgets: [] }));
    await expect(new FileBudgetLedger(path).load()).rejects.toThrow(/unknown format/);
  });
});
