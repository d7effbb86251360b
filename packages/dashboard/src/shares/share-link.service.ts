// Share links: an admin makes a link to one peer's client config that works without a login until it
// expires, is revoked, or (one-time links) its config has been downloaded once. The token is shown once,
// inside the link's address, and stored as SHA-256. The public side (`open`, `download`) answers with
// what happened instead of throwing, so the page can say it plainly; it never tells a wrong token from
// a deleted link's.
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  type CreatedShareLinkDto,
  type CreateShareLinkBody,
  NotFoundError,
  SHARE_LINK_DEFAULT_HOURS,
  type ShareLinkDto,
  type ShareLinkStatus,
} from "@wgfleet/core";
import { type ActorRef, auditName } from "../auth/actor.js";
import { type Clock, isoAfter, nowIso, systemClock } from "../clock.js";
import type { SharedConfigs, SharedPeers } from "./ports.js";
import { shareLinkStatus, toShareLinkView } from "./share-link.mapper.js";
import type { ShareLinkRepository } from "./share-link.repository.js";
import { generateShareToken, looksLikeShareToken, shareTokenHash } from "./share-token.js";

const HOUR_MS = 3_600_000;

/** Why a link that once worked no longer does. */
export type GoneReason = Exclude<ShareLinkStatus, "active">;

/** A working link: what the page says about it, and what was asked for (`T`). */
export type ShareFound<T> = { kind: "ok"; peerName: string; expiresAt: string; oneTime: boolean } & T;

/** What the public page or download finds behind a token. */
export type ShareLookup<T> = ShareFound<T> | { kind: "gone"; reason: GoneReason } | { kind: "unknown" };

export type ShareLinkStore = Pick<
  ShareLinkRepository,
  "insert" | "listForPeer" | "findById" | "findByHash" | "revoke" | "spend" | "delete"
>;

export class ShareLinkService {
  constructor(
    private readonly deps: {
      links: ShareLinkStore;
      peers: SharedPeers;
      configs: SharedConfigs;
      clock?: Clock;
    },
  ) {}

  private now(): number {
    return (this.deps.clock ?? systemClock).now();
  }

  /** `baseUrl`: the dashboard's public address, without a trailing slash. */
  async create(
    peerId: string,
    input: CreateShareLinkBody,
    actor: ActorRef,
    baseUrl: string,
  ): Promise<CreatedShareLinkDto> {
    const { peer } = await this.deps.peers.context(peerId);
    if (!peer.private_key_enc) {
      throw new ConflictError(
        `peer ${peer.name} was created with its own public key: there is no config to share`,
        "publicKey",
      );
    }
    const now = this.now();
    const token = generateShareToken();
    const oneTime = input.oneTime ?? false;
    const row = {
      id: randomUUID(),
      peer_id: peer.id,
      token_hash: shareTokenHash(token),
      created_at: nowIso(now),
      expires_at: isoAfter((input.expiresInHours ?? SHARE_LINK_DEFAULT_HOURS) * HOUR_MS, now),
      one_time: oneTime ? 1 : 0,
      used_at: null,
      revoked_at: null,
      created_by: auditName(actor),
    };
    await this.deps.links.insert(row);
    return { id: row.id, url: `${baseUrl}/s/${token}`, expiresAt: row.expires_at, oneTime };
  }

  async list(peerId: string): Promise<ShareLinkDto[]> {
    await this.deps.peers.context(peerId);
    const now = this.now();
    return (await this.deps.links.listForPeer(peerId)).map((row) => toShareLinkView(row, now));
  }

  /** Removes a link nobody was given (its mail could not be sent): as if it had never been made. */
  async discard(id: string): Promise<void> {
    await this.deps.links.delete(id);
  }

  /** The link stops working at once; its row stays for the list. Revoking twice is harmless. */
  async revoke(id: string): Promise<ShareLinkDto> {
    if (!(await this.deps.links.findById(id))) throw new NotFoundError(`share link ${id}`);
    await this.deps.links.revoke(id, nowIso(this.now()));
    const revoked = await this.deps.links.findById(id);
    if (!revoked) throw new NotFoundError(`share link ${id}`);
    return toShareLinkView(revoked, this.now());
  }

  /**
   * The public page: the peer's name and its config as a QR code. Opening it spends nothing, so a
   * one-time link's page carries no QR code (null): showing it is a download (`downloadQr`).
   */
  async open(token: string): Promise<ShareLookup<{ qrSvg: string | null }>> {
    const found = await this.find(token);
    if (found.kind !== "ok") return found;
    const qrSvg = found.row.one_time === 1 ? null : await this.deps.configs.qrSvg(found.row.peer_id);
    return { ...found.answer, qrSvg };
  }

  /** The config file. A one-time link is spent here, by the first download that gets this far. */
  async download(token: string): Promise<ShareLookup<{ filename: string; text: string }>> {
    return this.deliver(token, (peerId) => this.deps.configs.clientConfig(peerId));
  }

  /** The config as a QR code on a page of its own: a download too, so it spends a one-time link. */
  async downloadQr(token: string): Promise<ShareLookup<{ qrSvg: string }>> {
    return this.deliver(token, async (peerId) => ({ qrSvg: await this.deps.configs.qrSvg(peerId) }));
  }

  /** Renders first, then spends: a link is never spent by a download that failed to render. */
  private async deliver<T>(token: string, render: (peerId: string) => Promise<T>): Promise<ShareLookup<T>> {
    const found = await this.find(token);
    if (found.kind !== "ok") return found;
    const content = await render(found.row.peer_id);
    if (found.row.one_time === 1 && !(await this.deps.links.spend(found.row.id, nowIso(this.now())))) {
      const again = await this.deps.links.findById(found.row.id);
      return { kind: "gone", reason: again ? goneReason(again, this.now()) : "revoked" };
    }
    return { ...found.answer, ...content };
  }

  private async find(token: string) {
    if (!looksLikeShareToken(token)) return { kind: "unknown" } as const;
    const row = await this.deps.links.findByHash(shareTokenHash(token));
    if (!row) return { kind: "unknown" } as const;
    const status = shareLinkStatus(row, this.now());
    if (status !== "active") return { kind: "gone", reason: status } as const;
    const { peer } = await this.deps.peers.context(row.peer_id);
    return {
      kind: "ok",
      row,
      answer: { kind: "ok", peerName: peer.name, expiresAt: row.expires_at, oneTime: row.one_time === 1 },
    } as const;
  }
}

function goneReason(row: Parameters<typeof shareLinkStatus>[0], now: number): GoneReason {
  const status = shareLinkStatus(row, now);
  return status === "active" ? "spent" : status;
}
