// The client configs of chosen peers as one zip, streamed: every id is checked first (too many, or
// one that is not a peer of the configuration, refuses the whole request before a byte is sent), then
// one `<safe-name>.conf` per peer is rendered and compressed as the client reads. Peers whose private
// key the dashboard does not hold (or whose config cannot be rendered right now) are listed in
// NOT-INCLUDED.txt instead.
import { PassThrough, type Readable } from "node:stream";
import { MAX_ZIP_PEERS, NotFoundError, ValidationError, WgFleetError } from "@wgfleet/core";
import { Zip, ZipDeflate } from "fflate";
import { ArchiveFileNames } from "./archive-file-names.js";
import type { PeerOwner, PeerRepository } from "./peer.repository.js";
import type { PeerConfigService } from "./peer-config.js";
import type { PeerConfigurations } from "./ports.js";

export const NOT_INCLUDED_FILE = "NOT-INCLUDED.txt";
/** How many unknown ids a 404 names before it only counts the rest. */
const NAMED_UNKNOWN = 20;

export interface PeerConfigArchive {
  /** The download's file name: `<configuration>-configs.zip`. */
  filename: string;
  /** The zip itself, produced while it is read. */
  stream: Readable;
}

export class PeerConfigArchiveService {
  constructor(
    private readonly deps: {
      peers: Pick<PeerRepository, "findOwners">;
      configurations: Pick<PeerConfigurations, "findByName">;
      configs: Pick<PeerConfigService, "clientConfig">;
    },
  ) {}

  async archive(configurationName: string, requestedIds: string[]): Promise<PeerConfigArchive> {
    const ids = [...new Set(requestedIds)];
    if (ids.length === 0) throw new ValidationError("ids", "name at least one peer");
    if (ids.length > MAX_ZIP_PEERS)
      throw new ValidationError("ids", `at most ${MAX_ZIP_PEERS} peers per zip (got ${ids.length})`);
    const configuration = await this.deps.configurations.findByName(configurationName);
    if (!configuration) throw new NotFoundError(`configuration ${configurationName}`);
    const owners = (await this.deps.peers.findOwners(ids)).filter(
      (owner) => owner.configurationId === configuration.id,
    );
    refuseUnknown(ids, owners, configuration.name);
    owners.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    return {
      filename: `${configuration.name.replace(/[^A-Za-z0-9._-]+/g, "_")}-configs.zip`,
      stream: this.stream(owners),
    };
  }

  private stream(peers: PeerOwner[]): Readable {
    const out = new PassThrough();
    const zip = new Zip((error, chunk, final) => {
      if (error) out.destroy(error);
      else {
        out.write(chunk);
        if (final) out.end();
      }
    });
    this.fill(zip, peers, out).catch((error: unknown) =>
      out.destroy(error instanceof Error ? error : new Error(String(error))),
    );
    return out;
  }

  private async fill(zip: Zip, peers: PeerOwner[], out: PassThrough): Promise<void> {
    const names = new ArchiveFileNames();
    names.reserve(NOT_INCLUDED_FILE);
    const notIncluded: string[] = [];
    for (const peer of peers) {
      if (out.destroyed) return; // the client went away
      const reason = peer.hasPrivateKey ? await this.addConfig(zip, names, peer) : NO_PRIVATE_KEY;
      if (reason) notIncluded.push(`${peer.name} (${peer.id}): ${reason}`);
      if (out.writableNeedDrain) await drained(out);
    }
    if (notIncluded.length > 0) addFile(zip, NOT_INCLUDED_FILE, notIncludedText(notIncluded));
    zip.end();
  }

  /** Adds the peer's config; the reason it could not, when it could not. */
  private async addConfig(zip: Zip, names: ArchiveFileNames, peer: PeerOwner): Promise<string | null> {
    try {
      const { text } = await this.deps.configs.clientConfig(peer.id);
      addFile(zip, names.next(peer.name), text);
      return null;
    } catch (error) {
      // A peer deleted meanwhile, its node unreachable: listed, not fatal; anything else is a bug.
      if (error instanceof WgFleetError) return error.message;
      throw error;
    }
  }
}

const NO_PRIVATE_KEY =
  "created with its own public key; the client holds the private key, so the dashboard has no config for it";

function refuseUnknown(ids: string[], owners: PeerOwner[], configuration: string): void {
  const known = new Set(owners.map((owner) => owner.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  const named = unknown.slice(0, NAMED_UNKNOWN).join(", ");
  const more = unknown.length > NAMED_UNKNOWN ? ` and ${unknown.length - NAMED_UNKNOWN} more` : "";
  throw new NotFoundError(`peers ${named}${more} in configuration ${configuration}`);
}

function addFile(zip: Zip, name: string, text: string): void {
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  file.push(new TextEncoder().encode(text), true);
}

function notIncludedText(lines: string[]): string {
  return `These peers have no config in this zip:\n\n${lines.join("\n")}\n`;
}

/** Resolves when the reader caught up, or went away. */
function drained(out: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done);
    out.once("close", done);
  });
}
