// Run by the Node under test (plain CommonJS: Node 20 runs no TypeScript) as
//   node sqlite-gc-probe.cjs DASHBOARD_PACKAGE_DIR
// It loads the better-sqlite3 that the installed dashboard resolves, prepares statements and drops them,
// many per event-loop turn, so that V8 collects them while the process runs. better-sqlite3 12 compiled
// against the headers of Node 24.19 or newer aborts there (`Assertion failed: (env) != nullptr` in
// node::RemoveEnvironmentCleanupHook, from Statement::~Statement: that Node's node::ObjectWrap removes a
// cleanup hook in its destructor, with no Environment entered during a collection). It crashed within
// the first ~17,000 statements in every run here; 40,000 leaves a wide margin. Prints the version.
const { createRequire } = require("node:module");
const { resolve } = require("node:path");

const STATEMENTS_PER_TURN = 2_000;
const TURNS = 20;

const dashboard = process.argv[2];
if (!dashboard) throw new Error("usage: node sqlite-gc-probe.cjs DASHBOARD_PACKAGE_DIR");
const fromDashboard = createRequire(resolve(dashboard, "package.json"));
const Database = fromDashboard("better-sqlite3");
const { version } = fromDashboard("better-sqlite3/package.json");

const database = new Database(":memory:");
let turn = 0;
const step = () => {
  for (let i = 0; i < STATEMENTS_PER_TURN; i++) database.prepare(`SELECT ${i} AS n`).get();
  if (++turn < TURNS) return setImmediate(step);
  database.close();
  console.log(version);
};
step();
