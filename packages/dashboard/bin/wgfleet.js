#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=2
// The `wgfleet` command: the built CLI (run `npm run build` first).
import { setFlagsFromString } from "node:v8";

// Memory (BENCHMARKS.md, "api", "Memory"): by default V8 lets the old space grow to about twice its live
// data before a full collection, the young generation grows to 2 × 16 MB while the modules load and
// never shrinks, and glibc gives each thread that allocates its own malloc arena. The server instead
// runs with a conservatively growing old space (--optimize-for-size, set here: V8 reads it whenever it
// sizes the heap), a young generation of at most 2 × 2 MB and two malloc arenas (the first line: those
// two only work from the start of the process; a young generation kept at 2 × 1 MB slowed creations by
// about a third). At 10,000 peers that is about 137 MB instead of 207 MB
// resident, for the same creation throughput. Every way the dashboard starts runs this file as a
// command — the systemd unit, the container, scripts/start.sh — so the first line applies to all.
if (process.argv[2] === "serve") setFlagsFromString("--optimize-for-size");

const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
