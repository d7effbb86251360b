// `wgfleet node list|add|test|remove`: the fleet's nodes from the shell, through the same node services
// as /api/v1/nodes (validation, the one-agent-one-node rule, audit). A node's secret goes in through a
// file or stdin and is never printed back, in a table or in JSON.
import { type ParseArgsConfig, parseArgs } from "node:util";
import {
  assertShape,
  type CreateNodeBody,
  CreateNodeBodySchema,
  type NodeDto,
  type NodeTestDto,
} from "@wgfleet/core";
import { ADMIN_OPTIONS, DATA_FLAGS_HELP, parseFlags, withAdminContext } from "./common.js";
import { type CliIo, readTextFile, UsageError } from "./io.js";
import { type Column, printJson, printTable, report } from "./output.js";
import { resolveNodeRef } from "./refs.js";

export const NODE_HELP = `Usage:
  wgfleet node list [--json]
  wgfleet node add NAME --agent-url URL --endpoint HOST [--secret-file FILE] [--weight N]
                   [--max-peers N] [--disabled] [--json]
  wgfleet node test NODE [--json]
  wgfleet node remove NODE [--force] [--json]

NODE is a node's id or name. add reads the agent's shared secret from --secret-file (first line) or
stdin; it is stored encrypted and never shown again. The agent must answer when the node is added.
test makes a signed call to the agent and exits 1 unless its URL, secret, clock and version are right.
remove refuses a node that still hosts peers unless --force (its peers are then deleted).

Options:
  --agent-url URL       http(s)://host:port of the node's agent (add; required)
  --endpoint HOST       the host clients connect to (add; required)
  --secret-file FILE    the agent's shared secret (add; default: read from stdin)
  --weight N            share of auto-placed peers (add; default 100)
  --max-peers N         soft cap on peers (add; default 1000)
  --disabled            add the node without placing peers on it
  --force               remove: also delete the node's peers
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  "agent-url": { type: "string" },
  endpoint: { type: "string" },
  "secret-file": { type: "string" },
  weight: { type: "string" },
  "max-peers": { type: "string" },
  disabled: { type: "boolean" },
  force: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

interface NodeFlags {
  "agent-url"?: string;
  endpoint?: string;
  "secret-file"?: string;
  weight?: string;
  "max-peers"?: string;
  disabled?: boolean;
  force?: boolean;
  json?: boolean;
  "data-dir"?: string;
  "log-format"?: string;
}

const ACTIONS = ["list", "add", "test", "remove"];
/** Flags each action takes besides the common ones; anything else is refused by name. */
const ACTION_FLAGS: Record<string, readonly (keyof NodeFlags)[]> = {
  list: [],
  add: ["agent-url", "endpoint", "secret-file", "weight", "max-peers", "disabled"],
  test: [],
  remove: ["force"],
};

export async function nodeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(NODE_HELP);
    return 0;
  }
  const [action, ref, ...extra] = positionals;
  if (!action || !ACTIONS.includes(action)) {
    throw new UsageError(
      action
        ? `unknown node action "${action}" (${ACTIONS.join(", ")})`
        : `node: missing action (${ACTIONS.join(", ")})`,
    );
  }
  refuseOtherFlags(action, values);
  const unexpected = action === "list" ? ref : extra[0];
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  if (action === "list") return listNodes(values, io);
  if (!ref) throw new UsageError(`node ${action}: missing ${action === "add" ? "NAME" : "NODE"}`);
  if (action === "add") return addNode(ref, values, io);
  if (action === "test") return testNode(ref, values, io);
  return removeNode(ref, values, io);
}

function refuseOtherFlags(action: string, values: NodeFlags): void {
  const allowed = ACTION_FLAGS[action] ?? [];
  for (const flag of ACTION_FLAGS.add?.concat(ACTION_FLAGS.remove ?? []) ?? []) {
    if (values[flag] !== undefined && !allowed.includes(flag)) {
      throw new UsageError(`--${flag}: not for node ${action}`);
    }
  }
}

const NODE_COLUMNS: Column<NodeDto>[] = [
  { header: "ID", value: (node) => node.id },
  { header: "NAME", value: (node) => node.name },
  { header: "STATUS", value: (node) => node.status },
  { header: "ENABLED", value: (node) => (node.enabled ? (node.draining ? "draining" : "yes") : "no") },
  { header: "PEERS", value: (node) => `${node.peerCount}/${node.maxPeers}` },
  { header: "WEIGHT", value: (node) => node.weight },
  {
    header: "AGENT",
    value: (node) => (node.local ? "(local)" : (node.agentUrl ?? "(dials out)")),
  },
  { header: "ENDPOINT", value: (node) => node.clientEndpointHost },
];

async function listNodes(values: NodeFlags, io: CliIo): Promise<number> {
  const nodes = await withAdminContext(values, io, (context) => context.services.nodes.list());
  if (values.json) printJson(io, { items: nodes });
  else printTable(io, NODE_COLUMNS, nodes);
  return 0;
}

async function addNode(name: string, values: NodeFlags, io: CliIo): Promise<number> {
  if (!values["agent-url"]) throw new UsageError("--agent-url is required");
  if (!values.endpoint) throw new UsageError("--endpoint is required");
  // Every flag is checked before the secret is asked for.
  const settings = {
    ...(values.weight !== undefined ? { weight: parseCount(values.weight, "--weight") } : {}),
    ...(values["max-peers"] !== undefined
      ? { maxPeers: parseCount(values["max-peers"], "--max-peers") }
      : {}),
    ...(values.disabled ? { enabled: false } : {}),
  };
  const body: CreateNodeBody = {
    name,
    agentUrl: values["agent-url"],
    endpoint: values.endpoint,
    secret: await readSecret(io, values["secret-file"]),
    ...settings,
  };
  assertShape(CreateNodeBodySchema, body);
  const node = await withAdminContext(values, io, (context) =>
    context.services.nodeAdmin.create(body, "cli"),
  );
  report(io, values.json, node, `added node "${node.name}" (id ${node.id}), status ${node.status}`);
  return 0;
}

async function testNode(ref: string, values: NodeFlags, io: CliIo): Promise<number> {
  const { id, result } = await withAdminContext(values, io, async (context) => {
    const id = await resolveNodeRef(context.services, ref);
    return { id, result: await context.services.nodeTests.test(id) };
  });
  if (values.json) printJson(io, { node: id, ...result });
  else io.out(describeTest(ref, result));
  return result.ok ? 0 : 1;
}

/** One line: reachable with version and latency, or the first thing wrong. */
function describeTest(ref: string, result: NodeTestDto): string {
  if (!result.ok) return `${ref}: NOT OK (${result.problem ?? "failed"}): ${result.message}`;
  const latency = result.latencyMs === null ? "?" : `${Math.round(result.latencyMs)} ms`;
  const skew = result.clockSkewMs === null ? "" : `, clock skew ${Math.round(result.clockSkewMs)} ms`;
  return `${ref}: reachable, agent ${result.agentVersion ?? "?"} (dashboard ${result.dashboardVersion}), latency ${latency}${skew}`;
}

async function removeNode(ref: string, values: NodeFlags, io: CliIo): Promise<number> {
  const id = await withAdminContext(values, io, async (context) => {
    const id = await resolveNodeRef(context.services, ref);
    await context.services.nodeAdmin.delete(id, values.force === true, "cli");
    return id;
  });
  report(io, values.json, { removed: id }, `removed node ${ref} (id ${id})`);
  return 0;
}

/** The shared secret: first line of --secret-file, else all of stdin (never from argv, which `ps` shows). */
async function readSecret(io: CliIo, file: string | undefined): Promise<string> {
  if (file !== undefined) return firstLine(readTextFile(file, "--secret-file"), "--secret-file");
  if (io.stdinIsTty) io.err("agent secret (one line, then Enter and Ctrl-D):");
  return firstLine(await io.readStdin(), "stdin");
}

function firstLine(text: string, where: string): string {
  const line = (text.split(/\r?\n/)[0] ?? "").trim();
  if (line === "") throw new UsageError(`no secret given on ${where}`);
  return line;
}

function parseCount(text: string, flag: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  return Number(text);
}
