// `npm run demo` (scripts/demo.sh runs this): the demo fleet of demo-fleet.ts — three node namespaces
// with a real agent each, the dashboard on 127.0.0.1:10086, a configuration on all three nodes, peers,
// two connected clients — then the URL and the login. Ctrl-C tears it all down. `--check`: set up,
// report, tear down, exit 1 if a step failed.
import { missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { demoSummary, startDemo } from "./demo-fleet.js";

function parseArgs(argv: string[]): { check: boolean; listen: string } {
  let check = false;
  let listen = process.env.WGFLEET_DEMO_LISTEN || "127.0.0.1:10086";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--check") check = true;
    else if (arg === "--listen" && argv[i + 1]) listen = argv[++i] as string;
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run demo [-- --listen HOST:PORT] [-- --check]\n");
      console.log(
        "  --listen HOST:PORT  where the dashboard listens (default 127.0.0.1:10086, or $WGFLEET_DEMO_LISTEN)",
      );
      console.log("  --check             set everything up, report, tear it down; exit 1 if a step failed");
      process.exit(0);
    } else {
      console.error(`demo: unknown argument "${arg}" (see --help)`);
      process.exit(2);
    }
  }
  return { check, listen };
}

async function main(): Promise<number> {
  const { check, listen } = parseArgs(process.argv.slice(2));
  const missing = missingPrerequisites(wireguardPrerequisites());
  if (missing) {
    console.error(`demo: cannot run: ${missing}`);
    return 1;
  }
  console.log("starting a 3-node wgfleet fleet (network namespaces on 198.18.0.0/16) and the dashboard ...");
  const demo = await startDemo({
    listen,
    ...(process.env.WGFLEET_ADMIN_USER ? { adminUser: process.env.WGFLEET_ADMIN_USER } : {}),
    ...(process.env.WGFLEET_ADMIN_PASSWORD ? { adminPassword: process.env.WGFLEET_ADMIN_PASSWORD } : {}),
    print: (line) => console.log(line),
  });
  console.log(`\n${demoSummary(demo).join("\n")}`);
  if (check) {
    await demo.fleet.stop();
    return demo.allDone ? 0 : 1;
  }
  console.log("Ctrl-C stops the demo and removes everything it made.");
  // The agents, the dashboard and the ping loops keep the process alive; the harness's signal handler
  // tears the fleet down on Ctrl-C and exits.
  return new Promise<number>(() => {});
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
