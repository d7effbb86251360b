// `wgfleet peer list|add|remove|config`: peers from the shell, through the same peer services as the
// HTTP API (placement, address allocation, the node call, audit). Runs in its own process next to a
// running `serve`: the creation saga is written for more than one dashboard process on one database
// (docs/install.md, "Admin CLI"). The local node is the serve process's own: not reachable from here.
import { closeSync, fchmodSync, openSync, writeSync } from "node:fs";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { assertShape, type CreatePeerBody, CreatePeerBodySchema, type PeerDto } from "@wgfleet/core";
import { ADMIN_OPTIONS, DATA_FLAGS_HELP, parseFlags, withAdminContext } from "./common.js";
import { type CliIo, UsageError } from "./io.js";
import { type Column, printJson, printTable, report } from "./output.js";
import { listPeers, resolveConfigurationName, resolveNodeRef, resolvePeer } from "./refs.js";

export const PEER_HELP = `Usage:
  wgfleet peer list [--configuration NAME] [--node NODE] [--search TEXT] [--json]
  wgfleet peer add NAME [--configuration NAME] [--node auto|NODE] [--address ADDR]... [--public-key KEY]
                   [--no-preshared-key] [--dns IP,...] [--keepalive S] [--mtu N] [--expires-at TIME] [--json]
  wgfleet peer remove PEER [--configuration NAME] [--json]
  wgfleet peer config PEER [--configuration NAME] [--out FILE] [--json]

PEER is a peer's id or its name (with --configuration when two configurations have one of that name). NODE is
a node's id or name. --configuration may be left out when there is only one configuration. add and remove
call the peer's node: it must answer. config prints the client's wg-quick file (its private key!) to
stdout, or writes it to FILE with mode 0600. The local node's peers are managed by the running
dashboard only (web app or HTTP API).

Options:
  --configuration NAME  the configuration (default: the only one)
  --node NODE           add: auto (default) or a node's id or name; list: only that node's peers
  --search TEXT         list: name, address or public key prefix
  --address ADDR        add: the address to take (repeat for IPv4 and IPv6; default: the next free)
  --public-key KEY      add: the client's own key (then there is no config to hand out)
  --no-preshared-key    add: no preshared key
  --dns LIST            add: the client's DNS servers, comma-separated
  --keepalive SECONDS   add: persistent keepalive
  --mtu N               add: the client's MTU
  --expires-at TIME     add: ISO-8601 time the peer stops working
  --out FILE            config: write the file (mode 0600) instead of printing it
${DATA_FLAGS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  configuration: { type: "string" },
  node: { type: "string" },
  search: { type: "string" },
  address: { type: "string", multiple: true },
  "public-key": { type: "string" },
  "no-preshared-key": { type: "boolean" },
  dns: { type: "string" },
  keepalive: { type: "string" },
  mtu: { type: "string" },
  "expires-at": { type: "string" },
  out: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

interface PeerFlags {
  configuration?: string;
  node?: string;
  search?: string;
  address?: string[];
  "public-key"?: string;
  "no-preshared-key"?: boolean;
  dns?: string;
  keepalive?: string;
  mtu?: string;
  "expires-at"?: string;
  out?: string;
  json?: boolean;
  "data-dir"?: string;
  "log-format"?: string;
}

const ACTIONS = ["list", "add", "remove", "config"];
const ADD_FLAGS = [
  "address",
  "public-key",
  "no-preshared-key",
  "dns",
  "keepalive",
  "mtu",
  "expires-at",
] as const satisfies readonly (keyof PeerFlags)[];
/** The action-specific flags each action takes (--configuration and the common ones go everywhere). */
const ACTION_FLAGS: Record<string, readonly (keyof PeerFlags)[]> = {
  list: ["node", "search"],
  add: ["node", ...ADD_FLAGS],
  remove: [],
  config: ["out"],
};
const SPECIFIC_FLAGS: readonly (keyof PeerFlags)[] = ["node", "search", "out", ...ADD_FLAGS];

export async function peerCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true }),
  );
  if (values.help) {
    io.out(PEER_HELP);
    return 0;
  }
  const [action, ref, ...extra] = positionals;
  if (!action || !ACTIONS.includes(action)) {
    throw new UsageError(
      action
        ? `unknown peer action "${action}" (${ACTIONS.join(", ")})`
        : `peer: missing action (${ACTIONS.join(", ")})`,
    );
  }
  const allowed = ACTION_FLAGS[action] ?? [];
  const stray = SPECIFIC_FLAGS.find((flag) => values[flag] !== undefined && !allowed.includes(flag));
  if (stray) throw new UsageError(`--${stray}: not for peer ${action}`);
  const unexpected = action === "list" ? ref : extra[0];
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  if (action === "list") return listPeersCommand(values, io);
  if (!ref) throw new UsageError(`peer ${action}: missing ${action === "add" ? "NAME" : "PEER"}`);
  if (action === "add") return addPeer(ref, values, io);
  if (action === "remove") return removePeer(ref, values, io);
  return peerConfig(ref, values, io);
}

const PEER_COLUMNS: Column<PeerDto>[] = [
  { header: "ID", value: (peer) => peer.id },
  { header: "NAME", value: (peer) => peer.name },
  { header: "CONFIG", value: (peer) => peer.configuration },
  { header: "NODE", value: (peer) => peer.node },
  { header: "ADDRESSES", value: (peer) => peer.addresses.join(",") },
  { header: "STATE", value: (peer) => (peer.enabled ? peer.state : "disabled") },
  { header: "HANDSHAKE", value: (peer) => peer.latestHandshake },
];

async function listPeersCommand(values: PeerFlags, io: CliIo): Promise<number> {
  const peers = await withAdminContext(values, io, async (context) => {
    const node = values.node !== undefined ? await resolveNodeRef(context.services, values.node) : undefined;
    return listPeers(context.services, values.configuration, {
      ...(node !== undefined ? { node } : {}),
      ...(values.search !== undefined ? { search: values.search } : {}),
    });
  });
  if (values.json) printJson(io, { items: peers });
  else printTable(io, PEER_COLUMNS, peers);
  return 0;
}

async function addPeer(name: string, values: PeerFlags, io: CliIo): Promise<number> {
  const body = createBody(name, values);
  assertShape(CreatePeerBodySchema, body);
  const peer = await withAdminContext(values, io, async (context) => {
    const configuration = await resolveConfigurationName(context.services, values.configuration);
    const node = await resolveNodeRef(context.services, values.node ?? "auto");
    return context.services.peers.create(configuration, { ...body, node }, "cli");
  });
  report(
    io,
    values.json,
    peer,
    `added peer "${peer.name}" (id ${peer.id}) on node ${peer.node}, ${peer.addresses.join(", ")}`,
  );
  return 0;
}

/** The API's create body from the flags; the service checks meaning (addresses in the pool, keys). */
function createBody(name: string, values: PeerFlags): CreatePeerBody {
  return {
    name,
    ...(values.address ? { addresses: values.address } : {}),
    ...(values["public-key"] !== undefined ? { publicKey: values["public-key"] } : {}),
    ...(values["no-preshared-key"] ? { presharedKey: false } : {}),
    ...(values.dns !== undefined ? { dns: values.dns.split(",").map((entry) => entry.trim()) } : {}),
    ...(values.keepalive !== undefined ? { keepalive: parseInteger(values.keepalive, "--keepalive") } : {}),
    ...(values.mtu !== undefined ? { mtu: parseInteger(values.mtu, "--mtu") } : {}),
    ...(values["expires-at"] !== undefined ? { expiresAt: values["expires-at"] } : {}),
  };
}

async function removePeer(ref: string, values: PeerFlags, io: CliIo): Promise<number> {
  const peer = await withAdminContext(values, io, async (context) => {
    const peer = await resolvePeer(context.services, ref, values.configuration);
    await context.services.peers.delete(peer.id, "cli");
    return peer;
  });
  report(io, values.json, { removed: peer.id }, `removed peer "${peer.name}" (id ${peer.id})`);
  return 0;
}

async function peerConfig(ref: string, values: PeerFlags, io: CliIo): Promise<number> {
  const { peer, config } = await withAdminContext(values, io, async (context) => {
    const peer = await resolvePeer(context.services, ref, values.configuration);
    return { peer, config: await context.services.peerConfigs.clientConfig(peer.id) };
  });
  if (values.out !== undefined) {
    writePrivateFile(values.out, config.text);
    report(
      io,
      values.json,
      { peer: peer.id, filename: config.filename, out: values.out },
      `wrote the config of "${peer.name}" to ${values.out} (mode 0600)`,
    );
  } else if (values.json) {
    printJson(io, { peer: peer.id, filename: config.filename, config: config.text });
  } else {
    io.out(config.text.replace(/\n$/, ""));
  }
  return 0;
}

/** Writes the file readable by its owner only, also when it existed with a wider mode. */
function writePrivateFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, "w", 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unwritable";
    throw new UsageError(`--out: cannot write ${path} (${code})`);
  }
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function parseInteger(text: string, flag: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  return Number(text);
}
