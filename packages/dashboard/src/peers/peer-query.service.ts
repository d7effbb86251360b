// The peer list of a configuration: search (name, address, public-key prefix), node and status filters,
// keyset pagination on (name, id) with an opaque cursor, and the total for the same filters. Whatever
// the number of peers, a page is one read of the configuration with its interfaces, then the page
// (stats joined) and its count side by side.
import {
  type ListPeersQuery,
  NotFoundError,
  type PeerDto,
  type PeerPageDto,
  ValidationError,
} from "@wgfleet/core";
import type { ConfigurationRepository } from "../configurations/configuration.repository.js";
import type { InterfaceRepository } from "../interfaces/index.js";
import { ONLINE_WINDOW_MS, toPeerDto } from "./peer.mapper.js";
import type { PeerRepository } from "./peer.repository.js";

/** The page size when the query names none (the route's schema bounds `limit`). */
export const DEFAULT_PAGE_SIZE = 50;

export class PeerQueryService {
  constructor(
    private readonly deps: {
      peers: PeerRepository;
      interfaces: InterfaceRepository;
      configurations: ConfigurationRepository;
      now?: () => number;
    },
  ) {}

  /** A configuration's peer by its public key (callers that know peers by key: wgdashboard/). */
  async findByPublicKey(configurationName: string, publicKey: string): Promise<PeerDto | null> {
    const configuration = await this.deps.configurations.findByName(configurationName);
    if (!configuration) throw new NotFoundError(`configuration ${configurationName}`);
    const interfaces = await this.deps.interfaces.listByConfiguration(configuration.id);
    const view = await this.deps.peers.findViewByPublicKey(
      interfaces.map((i) => i.id),
      publicKey,
    );
    return view ? toPeerDto(view, configuration.name, this.deps.now?.() ?? Date.now()) : null;
  }

  async list(configurationName: string, options: ListPeersQuery = {}): Promise<PeerPageDto> {
    const found = await this.deps.interfaces.findByConfigurationName(configurationName);
    if (!found) throw new NotFoundError(`configuration ${configurationName}`);
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const status = options.status;
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    const interfaces = found.interfaces.filter(
      (iface) => options.node === undefined || iface.node_id === options.node,
    );
    const now = this.deps.now?.() ?? Date.now();
    const search = options.search?.trim();
    const { items, total } = await this.deps.peers.list({
      interfaces,
      ...(search ? { search } : {}),
      ...(status ? { status } : {}),
      onlineSince: new Date(now - ONLINE_WINDOW_MS).toISOString(),
      now: new Date(now).toISOString(),
      limit: limit + 1,
      ...(after ? { after } : {}),
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((view) => toPeerDto(view, found.configurationName, now)),
      nextCursor: items.length > limit && last ? encodeCursor(last.name, last.id) : null,
      total,
    };
  }
}

export function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "string" &&
      typeof value[1] === "string"
    ) {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new ValidationError("cursor", "is not a cursor this server handed out");
}
