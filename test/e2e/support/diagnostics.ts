// When an end-to-end scenario fails, what the fleet's programs said is the first thing to read: the
// tails of the dashboard's and every agent's log, and each node's `wg show`, saved under
// test-output/e2e/ before the fleet (and its temp dir) is torn down. Never prints a secret of ours:
// `wg show` without `dump` hides private and preshared keys.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Fleet } from "../../fleet/harness.js";
import { repoRoot } from "../../fleet/run-from.js";

export const E2E_OUTPUT_DIR = join(repoRoot, "test-output", "e2e");

/** Writes `test-output/e2e/<label>.log`; returns its path. Never throws. */
export async function saveFleetDiagnostics(fleet: Fleet, label: string): Promise<string | null> {
  try {
    const sections: string[] = [];
    for (const [i, dashboard] of fleet.dashboards.entries()) {
      sections.push(`== dashboard ${i + 1} (${dashboard.logFile})\n${await dashboard.logTail(30_000)}`);
    }
    for (const node of fleet.nodes) {
      sections.push(`== agent of ${node.name} (${node.logFile})\n${await node.agentLog(15_000)}`);
      const wg = await node.wg(["show"]).catch((error: unknown) => `wg show failed: ${String(error)}`);
      sections.push(`== wg show in ${node.name} (${node.ns.name})\n${wg}`);
    }
    await mkdir(E2E_OUTPUT_DIR, { recursive: true });
    const path = join(E2E_OUTPUT_DIR, `${label.replace(/[^a-z0-9]+/gi, "-").slice(0, 80)}.log`);
    await writeFile(path, sections.join("\n\n"));
    return path;
  } catch {
    return null;
  }
}
