// Many peers of one configuration: N new ones named `<prefix>-001…`, and the CSV export and import.
// Both creations go through BulkPeerCreation (one transaction and one node call per node); the HTTP
// request's audit scope turns the one event recorded here into its one entry.
import {
  type BulkCreatePeersBody,
  type BulkCreatePeersResult,
  type CheckedCreatePeer,
  ConflictError,
  type CsvRowError,
  checkCreatePeer,
  checkPeerCsvHeader,
  checkPeerCsvRow,
  cidrContains,
  type IpAddress,
  MAX_BULK_PEERS,
  NodeCallError,
  NotFoundError,
  PEER_CSV_EXPORT_COLUMNS,
  type PeerCsvImportResult,
  validatePeerName,
} from "@wgfleet/core";
import type { ConfigurationRow } from "../configurations/configuration.repository.js";
import {
  type EnsureTransports,
  type InterfaceRepository,
  type InterfaceRow,
  poolsOf,
} from "../interfaces/index.js";
import type { PeerRepository } from "../peers/peer.repository.js";
import type { PeerAudit, PeerConfigurations } from "../peers/ports.js";
import type { BulkPeerRepository } from "./bulk.repository.js";
import type { BulkCreationResult, BulkItem, BulkPeerCreation } from "./bulk-creation.js";
import { CsvRowsError, formatCsv, guardFormula, parseCsv } from "./csv-rows.js";

export interface BulkPeerServiceDeps {
  configurations: PeerConfigurations;
  interfaces: Pick<InterfaceRepository, "listByConfiguration">;
  peers: Pick<PeerRepository, "list">;
  bulk: Pick<BulkPeerRepository, "namesTaken">;
  creation: BulkPeerCreation;
  audit: PeerAudit;
  ensureTransports?: EnsureTransports;
}

export class BulkPeerService {
  constructor(private readonly deps: BulkPeerServiceDeps) {}

  async createMany(
    configurationName: string,
    body: BulkCreatePeersBody,
    actor: string,
  ): Promise<BulkCreatePeersResult> {
    const configuration = await this.requireConfiguration(configurationName);
    const { count, namePrefix, ...settings } = body;
    // Each name on its own (the prefix's characters, the length with the suffix), then the settings
    // once, as for one peer.
    const names = sequenceNames(namePrefix.trim(), count).map((name) => validatePeerName(name, "namePrefix"));
    const base = checkCreatePeer({ ...settings, name: names[0] ?? namePrefix });
    const items = names.map((name) => ({ input: { ...base, name } }));
    const result = await this.create(configuration, items);
    await this.deps.audit.recordEvent(actor, {
      action: "peer.bulk_create",
      target: configuration.id,
      entity: "configuration",
      details: bulkDetails(result, { count, namePrefix, node: base.node }),
    });
    return result;
  }

  /** Every peer of the configuration as CSV (never a private or preshared key). */
  async exportCsv(configurationName: string): Promise<{ filename: string; text: string }> {
    const configuration = await this.requireConfiguration(configurationName);
    const interfaces = await this.deps.interfaces.listByConfiguration(configuration.id);
    const { items } = await this.deps.peers.list({
      interfaces,
      onlineSince: new Date().toISOString(),
      now: new Date().toISOString(),
      limit: Number.MAX_SAFE_INTEGER,
    });
    const rows = items.map((peer) => [
      guardFormula(peer.name),
      (JSON.parse(peer.addresses) as string[]).join(" "),
      peer.publicKey,
      peer.expiresAt ?? "",
      peer.quotaBytes === null ? "" : String(peer.quotaBytes),
      Number(peer.enabled) === 1 ? "true" : "false",
      peer.nodeId,
    ]);
    return { filename: `${configuration.name}-peers.csv`, text: formatCsv(PEER_CSV_EXPORT_COLUMNS, rows) };
  }

  /**
   * Rows checked one by one (fields, names repeated in the file or taken, nodes that do not host the
   * configuration); any bad row refuses the whole file unless `partial`, then only the good rows are made.
   */
  async importCsv(
    configurationName: string,
    text: string,
    partial: boolean,
    actor: string,
  ): Promise<PeerCsvImportResult> {
    const configuration = await this.requireConfiguration(configurationName);
    const candidates = await this.deps.interfaces.listByConfiguration(configuration.id);
    const { good, errors } = await this.checkRows(configuration, candidates, text);
    if (errors.length > 0 && !partial) throw new CsvRowsError(errors);
    const result = good.length > 0 ? await this.create(configuration, good) : { created: [], failures: [] };
    await this.deps.audit.recordEvent(actor, {
      action: "peer.import_csv",
      target: configuration.id,
      entity: "configuration",
      details: {
        ...bulkDetails(result, { rows: good.length + errorLines(errors) }),
        refusedRows: errorLines(errors),
      },
    });
    return { ...result, errors };
  }

  private async checkRows(
    configuration: ConfigurationRow,
    candidates: InterfaceRow[],
    text: string,
  ): Promise<{ good: Array<BulkItem & { line: number }>; errors: CsvRowError[] }> {
    const { columns, records } = parseCsv(text);
    const headerErrors = checkPeerCsvHeader(columns);
    if (headerErrors.length > 0) throw new CsvRowsError(headerErrors);
    if (records.length === 0)
      throw new CsvRowsError([{ line: 2, field: "csv", message: "the file has no peers" }]);
    if (records.length > MAX_BULK_PEERS)
      throw new CsvRowsError([
        { line: MAX_BULK_PEERS + 2, field: "csv", message: `at most ${MAX_BULK_PEERS} peers` },
      ]);
    const nodes = new Set(candidates.map((c) => c.node_id));
    const errors: CsvRowError[] = [];
    const checked: Array<{ line: number; input: CheckedCreatePeer }> = [];
    const seenNames = new Map<string, number>();
    const seenKeys = new Map<string, number>();
    for (const { line, values } of records) {
      const row = checkPeerCsvRow(values, line);
      if (!row.ok) {
        errors.push(...row.errors);
        continue;
      }
      const { peer } = row;
      const rowErrors: CsvRowError[] = [];
      const name = peer.name.toLowerCase();
      const sameName = seenNames.get(name);
      if (sameName !== undefined)
        rowErrors.push({ line, field: "name", message: `repeats line ${sameName}` });
      const sameKey = peer.publicKey ? seenKeys.get(peer.publicKey) : undefined;
      if (sameKey !== undefined)
        rowErrors.push({ line, field: "publicKey", message: `repeats line ${sameKey}` });
      if (peer.node !== "auto" && !nodes.has(peer.node))
        rowErrors.push({
          line,
          field: "node",
          message: `configuration ${configuration.name} is not on node ${peer.node}`,
        });
      else if (peer.addresses) {
        // Addresses decide the node: the one whose pools hold them (and the row's node, if named).
        const home = candidates.find((c) => holds(c, peer.addresses ?? []));
        if (!home || (peer.node !== "auto" && peer.node !== home.node_id))
          rowErrors.push({
            line,
            field: "addresses",
            message: "outside the pools of the configuration's nodes",
          });
        else peer.node = home.node_id;
      }
      seenNames.set(name, seenNames.get(name) ?? line);
      if (peer.publicKey) seenKeys.set(peer.publicKey, seenKeys.get(peer.publicKey) ?? line);
      if (rowErrors.length > 0) errors.push(...rowErrors);
      else checked.push({ line, input: peer });
    }
    const taken = await this.deps.bulk.namesTaken(
      configuration.id,
      checked.map((c) => c.input.name),
    );
    const good = checked.filter(({ line, input }) => {
      if (!taken.has(input.name.toLowerCase())) return true;
      errors.push({ line, field: "name", message: `a peer named ${input.name} already exists` });
      return false;
    });
    errors.sort((a, b) => a.line - b.line);
    return { good, errors };
  }

  /** At least one peer made, or 502 with every node's reason; 409 when the configuration has no node. */
  private async create(configuration: ConfigurationRow, items: BulkItem[]): Promise<BulkCreationResult> {
    const candidates = await this.deps.interfaces.listByConfiguration(configuration.id);
    if (candidates.length === 0)
      throw new ConflictError(`configuration ${configuration.name} is not on any node yet`, "node");
    await this.deps.ensureTransports?.(candidates.map((c) => c.node_id));
    const taken = await this.deps.bulk.namesTaken(
      configuration.id,
      items.map((i) => i.input.name),
    );
    if (taken.size > 0)
      throw new ConflictError(`peer names already taken: ${[...taken].slice(0, 5).join(", ")}`, "namePrefix");
    const result = await this.deps.creation.create(configuration, candidates, items);
    if (result.created.length === 0)
      throw new NodeCallError(
        `no peer was created: ${result.failures.map((f) => `${f.node}: ${f.message}`).join("; ")}`,
      );
    return result;
  }

  private async requireConfiguration(name: string): Promise<ConfigurationRow> {
    const configuration = await this.deps.configurations.findByName(name);
    if (!configuration) throw new NotFoundError(`configuration ${name}`);
    return configuration;
  }
}

/** `<prefix>-001` … with at least three digits, more when the count needs them. */
export function sequenceNames(prefix: string, count: number): string[] {
  const width = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, "0")}`);
}

function bulkDetails(result: BulkCreationResult, request: object): object {
  const perNode: Record<string, number> = {};
  for (const peer of result.created) perNode[peer.node] = (perNode[peer.node] ?? 0) + 1;
  return { ...request, created: result.created.length, perNode, failures: result.failures };
}

/** Whether each address lies in one of the interface's pools. */
function holds(iface: InterfaceRow, addresses: IpAddress[]): boolean {
  const pools = poolsOf(iface);
  return addresses.every((address) => pools.some((pool) => cidrContains(pool.cidr, address)));
}

function errorLines(errors: CsvRowError[]): number {
  return new Set(errors.map((e) => e.line)).size;
}
