// Whether the fleet runs the agent and the dashboard from their sources (through tsx: tests never run
// a stale build), from the built bins (`npm run build` first: the demo and the benches), or from the
// packages installed into an npm prefix (`npm install -g --prefix P`: the install test).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The bins of packages installed with `npm install -g --prefix PREFIX`. */
export interface InstalledPrefix {
  prefix: string;
  /** The Node binary that runs them (the install test's other Node versions); default this process's. */
  node?: string;
}

export type RunFrom = "source" | "build" | InstalledPrefix;

/** The installed command `name` (wgfleet, wgfleet-agent) under the prefix. */
export function installedBin(from: InstalledPrefix, name: string): string {
  return join(from.prefix, "bin", name);
}

/** The Node binary the fleet's processes run on: the installed prefix's own, else the test's. */
export function nodeBinary(runFrom: RunFrom): string {
  return (typeof runFrom === "object" ? runFrom.node : undefined) ?? process.execPath;
}

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const BUILT_ENTRIES = ["packages/agent/dist/main.js", "packages/dashboard/dist/cli/main.js"];

/** The option, else $WGFLEET_FLEET_RUN_FROM, else "source". "build" without a build is an error. */
export function resolveRunFrom(option: RunFrom | undefined, env: NodeJS.ProcessEnv = process.env): RunFrom {
  if (typeof option === "object") {
    if (!existsSync(installedBin(option, "wgfleet-agent")))
      throw new Error(`nothing installed in ${option.prefix}`);
    return option;
  }
  const value = option ?? env.WGFLEET_FLEET_RUN_FROM ?? "source";
  if (value !== "source" && value !== "build") {
    throw new Error(`WGFLEET_FLEET_RUN_FROM must be "source" or "build", not "${value}"`);
  }
  if (value === "build") {
    const missing = BUILT_ENTRIES.filter((entry) => !existsSync(join(repoRoot, entry)));
    if (missing.length > 0)
      throw new Error(`run from build: ${missing.join(", ")} missing; run \`npm run build\``);
  }
  return value;
}
