// Entry point of `wgfleet-agent` (bin/wgfleet-agent.js imports the built copy of this file).
import { runCli } from "./cli.js";

runCli(process.argv.slice(2), process.env).then((code) => {
  if (code >= 0) process.exit(code);
});
