#!/usr/bin/env node
// The `wgfleet` command: the built CLI (run `npm run build` first).
import { setFlagsFromString } from "node:v8";

// The dashboard server trades a little collector work for a much smaller heap (BENCHMARKS.md, "api",
// "Memory"): without these V8 lets the old space grow to about twice its live data before a full
// collection, and the young generation grows to 2 × 16 MB while the modules load and never shrinks.
// --optimize-for-size makes the old space grow conservatively; a semi-space growth factor of 1 keeps
// the young generation at its initial 2 × 1 MB. They are set here, before the CLI's modules load,
// because every way the dashboard starts runs this file (the systemd unit, the container, scripts/
// start.sh, `node bin/wgfleet.js`) while flags on node's command line or in NODE_OPTIONS would not
// reach all of them; both flags are read by V8 when it sizes the heap, not only at its creation.
if (process.argv[2] === "serve") setFlagsFromString("--optimize-for-size --semi-space-growth-factor=1");

const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
