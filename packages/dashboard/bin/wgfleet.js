#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4
// The `wgfleet` command: the built CLI (run `npm run build` first).
import { setFlagsFromString } from "node:v8";

// Memory (BENCHMARKS.md, "api", "Memory"): by default V8 lets the old space grow to about twice its live
// data before a full collection, the young generation grows to 2 × 16 MB while the modules load and
// never shrinks, and glibc gives each thread that allocates its own malloc arena. The server instead
// runs with a conservatively growing old space (--optimize-for-size, set here: V8 reads it whenever it
// sizes the heap), a young generation of at most 2 × 4 MB and two malloc arenas (the first line: those
// two only work from the start of the process). Smaller young generations cost throughput: at 2 × 2 MB
// a list page of 500 peers outlives a scavenge and is copied, which tripled the server's CPU for a full
// read of 1,000 peers; at 2 × 1 MB creations were a third slower. At 10,000 peers that is about 141 MB
// instead of 207 MB resident, for the same creation and list throughput. Every way the dashboard
// starts runs this file as a command — the systemd unit, the container, scripts/start.sh — so the
// first line applies to all.
if (process.argv[2] === "serve") setFlagsFromString("--optimize-for-size");

const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
