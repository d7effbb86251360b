#!/usr/bin/env node
// The `wgfleet` command: the built CLI (run `npm run build` first).
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
