#!/usr/bin/env node
// wgfleet-agent: the node agent. Run `npm run build` first; this imports the compiled entry point.
import "../dist/main.js";
