// The `wgfleet` command run from its sources through tsx (`node --import tsx entries/dashboard.ts ...`),
// as packages/dashboard/bin/wgfleet.js runs the build: the fleet harness's dashboard in tests.
import { main } from "../../../packages/dashboard/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
