// The WGDashboard-compatible API's rules: WGDashboard's calls translated onto wgfleet's own services
// (configurations, peers, lifecycle rules, share links), so every change goes through the same checks,
// locks, node calls and audit as the native API. A WGDashboard "configuration" is a wgfleet
// configuration; peers are known by public key; `addPeers` places with `auto` across its nodes.
import {
  type ConfigurationDto,
  type CreatePeerBody,
  NotFoundError,
  type PeerDto,
  SHARE_LINK_MAX_HOURS,
  type UpdatePeerBody,
} from "@wgfleet/core";
import type { ActorRef } from "../auth/actor.js";
import type { ConfigurationService } from "../configurations/configuration.service.js";
import type { PeerService } from "../peers/peer.service.js";
import type { PeerConfigService } from "../peers/peer-config.js";
import type { PeerQueryService } from "../peers/peer-query.service.js";
import type { ShareLinkService } from "../shares/share-link.service.js";
import { CONFIGURATION_MISSING, ok, PEER_MISSING, type WgdAnswer, WgdRefusal } from "./envelope.js";
import { jobsOf, toWgdConfiguration, toWgdPeer, wgdDate } from "./wgd.mapper.js";
import { planAddPeers } from "./wgd-add-peers.js";
import { availableAddresses, availableCounts } from "./wgd-addresses.js";
import { jobOf, ruleOfJob, ruleRemoval, wgdDateToIso } from "./wgd-jobs.js";
import { addressList, dnsList, optionalCount, optionalString, peerName, requiredString } from "./wgd-text.js";

/** How many creations of one bulk add run at once (placement itself is one at a time). */
const BULK_CONCURRENCY = 8;
const PAGE = 500;

export interface WgDashboardDeps {
  configurations: Pick<ConfigurationService, "list" | "get">;
  peers: Pick<PeerService, "create" | "update" | "disable" | "enable" | "delete">;
  peerQueries: Pick<PeerQueryService, "list" | "findByPublicKey">;
  peerConfigs: Pick<PeerConfigService, "clientConfig">;
  shares: Pick<ShareLinkService, "create" | "download">;
}

export class WgDashboardService {
  constructor(private readonly deps: WgDashboardDeps) {}

  async configurations(): Promise<WgdAnswer> {
    const all = await this.deps.configurations.list();
    const answers = [];
    for (const configuration of all) {
      answers.push(toWgdConfiguration(configuration, await this.allPeers(configuration.name)));
    }
    return ok(answers);
  }

  async configurationInfo(name: string): Promise<WgdAnswer> {
    const configuration = await this.configuration(name, "Please provide configuration name");
    const peers = await this.allPeers(name);
    const shown = peers.map((peer) => toWgdPeer(peer, configuration.dns));
    return ok({
      configurationInfo: toWgdConfiguration(configuration, peers),
      configurationPeers: shown.filter((_, i) => peers[i]?.enabled),
      configurationRestrictedPeers: shown.filter((_, i) => !peers[i]?.enabled),
    });
  }

  async availableIps(name: string): Promise<WgdAnswer> {
    const configuration = await this.configuration(name);
    return ok(availableAddresses(configuration, await this.allPeers(name)));
  }

  async availableIpCounts(name: string): Promise<WgdAnswer> {
    const configuration = await this.configuration(name);
    return ok(availableCounts(configuration, await this.allPeers(name)));
  }

  async downloadPeer(name: string, publicKey: string): Promise<WgdAnswer> {
    const peer = await this.requirePeer(name, publicKey);
    return ok(await this.download(peer));
  }

  async downloadAllPeers(name: string): Promise<WgdAnswer> {
    await this.configuration(name);
    const files = [];
    for (const peer of await this.allPeers(name)) {
      if (peer.configAvailable) files.push(await this.download(peer));
    }
    return ok(files);
  }

  async addPeers(name: string, body: Record<string, unknown>, actor: string): Promise<WgdAnswer> {
    const plan = await planAddPeers(body, () => this.configuration(name));
    if (!plan.bulk) {
      const [single] = plan.bodies as [CreatePeerBody];
      if (single.publicKey && (await this.findPeer(name, single.publicKey))) {
        throw new WgdRefusal("This peer already exist");
      }
      return ok([toWgdPeer(await this.create(name, single, actor))]);
    }
    await this.configuration(name);
    return ok((await this.createAll(name, plan.bodies, actor)).map((peer) => toWgdPeer(peer)));
  }

  /** One creation; an unknown configuration in WGDashboard's words (no lookup of our own before). */
  private async create(name: string, body: CreatePeerBody, actor: string): Promise<PeerDto> {
    try {
      return await this.deps.peers.create(name, body, actor);
    } catch (error) {
      if (error instanceof NotFoundError && error.message === `configuration ${name} not found`) {
        throw new WgdRefusal(CONFIGURATION_MISSING);
      }
      throw error;
    }
  }

  /** All or nothing: when one creation fails, the ones made before it are deleted again. */
  private async createAll(name: string, bodies: CreatePeerBody[], actor: string): Promise<PeerDto[]> {
    const created: PeerDto[] = [];
    let next = 0;
    let failure: unknown = null;
    const worker = async () => {
      while (failure === null && next < bodies.length) {
        const body = bodies[next++] as CreatePeerBody;
        try {
          created.push(await this.deps.peers.create(name, body, actor));
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, bodies.length) }, worker));
    if (failure === null)
      return created.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
    for (const peer of created) await this.deps.peers.delete(peer.id, actor).catch(() => {});
    throw failure;
  }

  async updatePeer(name: string, body: Record<string, unknown>, actor: string): Promise<WgdAnswer> {
    const peer = await this.requirePeer(name, requiredString(body, "id"));
    for (const field of ["private_key", "preshared_key"]) {
      if ((optionalString(body, field) ?? "") !== "") {
        throw new WgdRefusal(`${field}: keys cannot be changed here; create a new peer instead`);
      }
    }
    const change: UpdatePeerBody = {};
    const nameText = optionalString(body, "name");
    if (nameText !== undefined && nameText.trim() !== "") change.name = peerName(nameText);
    const dns = optionalString(body, "DNS");
    if (dns !== undefined) change.dns = dns.trim() === "" ? null : dnsList(dns);
    const allowed = optionalString(body, "allowed_ip");
    if (allowed !== undefined) {
      const addresses = addressList([allowed], "allowed_ip");
      if (addresses.join(",") !== peer.addresses.join(",")) change.addresses = addresses;
    }
    const endpointAllowed = optionalString(body, "endpoint_allowed_ip");
    if (endpointAllowed !== undefined && endpointAllowed.trim() !== "") {
      change.clientAllowedIps = addressList([endpointAllowed], "endpoint_allowed_ip");
    }
    if (body.mtu !== undefined) change.mtu = optionalCount(body, "mtu") ?? null;
    if (body.keepalive !== undefined) change.keepalive = optionalCount(body, "keepalive") ?? null;
    await this.deps.peers.update(peer.id, change, actor);
    return ok(null, "Peer Updated");
  }

  async deletePeers(name: string, keys: string[], actor: string): Promise<WgdAnswer> {
    const peers = await this.requirePeers(name, keys);
    for (const peer of peers) await this.deps.peers.delete(peer.id, actor);
    return ok(null, `Deleted ${peers.length} peer(s)`);
  }

  async restrictPeers(name: string, keys: string[], actor: string): Promise<WgdAnswer> {
    const peers = await this.requirePeers(name, keys);
    for (const peer of peers) if (peer.enabled) await this.deps.peers.disable(peer.id, actor);
    return ok(null, `Restricted ${peers.length} peer(s)`);
  }

  async allowAccessPeers(name: string, keys: string[], actor: string): Promise<WgdAnswer> {
    const peers = await this.requirePeers(name, keys);
    for (const peer of peers) if (!peer.enabled) await this.deps.peers.enable(peer.id, actor);
    return ok(null, "Allow access successfully");
  }

  /**
   * WGDashboard zeroes its counters; wgfleet's counters are the node's, so what resets is the quota's
   * budget: the quota is set again and counts from now. Without a quota there is nothing to reset.
   */
  async resetPeerData(name: string, body: Record<string, unknown>, actor: string): Promise<WgdAnswer> {
    const type = requiredString(body, "type");
    if (!["total", "receive", "sent"].includes(type)) {
      throw new WgdRefusal(`type: expected total, receive or sent`);
    }
    const peer = await this.requirePeer(name, requiredString(body, "id"));
    if (peer.quota) {
      const { resetDay, warnAtPercent, period, ...rest } = peer.quota;
      const quota = {
        ...rest,
        period,
        ...(period === "weekly" || period === "monthly" ? { resetDay } : {}),
        ...(warnAtPercent !== null ? { warnAtPercent } : {}),
      };
      await this.deps.peers.update(peer.id, { quota: null }, actor);
      await this.deps.peers.update(peer.id, { quota }, actor);
    }
    return ok();
  }

  async savePeerScheduleJob(body: Record<string, unknown>, actor: string): Promise<WgdAnswer> {
    const { job, input } = jobOf(body);
    const peer = await this.requirePeer(input.configuration, input.peer);
    const updated = await this.deps.peers.update(peer.id, ruleOfJob(job, input.field), actor);
    // The caller's JobID names the job it saved; the rule's own id names any other.
    const jobs = jobsOf(updated).map((j) =>
      (input.field === "date") === (j.Field === "date") ? { ...j, JobID: input.jobId } : j,
    );
    return ok(jobs);
  }

  async deletePeerScheduleJob(body: Record<string, unknown>, actor: string): Promise<WgdAnswer> {
    const { input } = jobOf(body);
    const peer = await this.requirePeer(input.configuration, input.peer);
    await this.deps.peers.update(peer.id, ruleRemoval(input.field), actor);
    return ok();
  }

  /** An existing wgfleet share link; `ShareID` is the link's token (what `sharePeer/get` takes). */
  async sharePeerCreate(body: Record<string, unknown>, actor: ActorRef, baseUrl: string): Promise<WgdAnswer> {
    const configuration = optionalString(body, "Configuration");
    const publicKey = optionalString(body, "Peer");
    if (!configuration || !publicKey) throw new WgdRefusal("Please specify configuration and peers");
    const peer = await this.requirePeer(configuration, publicKey);
    const expireText = optionalString(body, "ExpireDate");
    const hours = expireText ? hoursUntil(wgdDateToIso(expireText)) : undefined;
    const created = await this.deps.shares.create(
      peer.id,
      hours !== undefined ? { expiresInHours: hours } : {},
      actor,
      baseUrl,
    );
    const shareId = created.url.slice(created.url.lastIndexOf("/") + 1);
    return ok([
      {
        ShareID: shareId,
        Peer: peer.publicKey,
        Configuration: configuration,
        ExpireDate: wgdDate(created.expiresAt),
        SharedDate: wgdDate(new Date().toISOString()),
        url: created.url,
      },
    ]);
  }

  async sharePeerGet(shareId: string): Promise<WgdAnswer> {
    if (shareId === "") throw new WgdRefusal("Please provide ShareID");
    const found = await this.deps.shares.download(shareId);
    if (found.kind !== "ok") throw new WgdRefusal("This link is either expired to invalid");
    return ok({ fileName: found.filename.replace(/\.conf$/, ""), file: found.text });
  }

  private async download(peer: PeerDto): Promise<{ fileName: string; file: string }> {
    if (!peer.configAvailable)
      throw new WgdRefusal("This peer was added with its own public key: no config to download");
    const config = await this.deps.peerConfigs.clientConfig(peer.id);
    return { fileName: config.filename.replace(/\.conf$/, ""), file: config.text };
  }

  private async configuration(name: string, missing = CONFIGURATION_MISSING): Promise<ConfigurationDto> {
    try {
      return await this.deps.configurations.get(name);
    } catch (error) {
      if (error instanceof NotFoundError) throw new WgdRefusal(missing);
      throw error;
    }
  }

  private async findPeer(name: string, publicKey: string): Promise<PeerDto | null> {
    try {
      return await this.deps.peerQueries.findByPublicKey(name, publicKey);
    } catch (error) {
      if (error instanceof NotFoundError) throw new WgdRefusal(CONFIGURATION_MISSING);
      throw error;
    }
  }

  private async requirePeer(name: string, publicKey: string): Promise<PeerDto> {
    const peer = publicKey === "" ? null : await this.findPeer(name, publicKey);
    if (!peer) throw new WgdRefusal(PEER_MISSING);
    return peer;
  }

  /** Every key found first: an unknown one refuses the whole call before anything changes. */
  private async requirePeers(name: string, keys: string[]): Promise<PeerDto[]> {
    const peers: PeerDto[] = [];
    for (const key of new Set(keys)) {
      const peer = await this.findPeer(name, key);
      if (!peer) throw new WgdRefusal(`${PEER_MISSING}: ${key.slice(0, 60)}`);
      peers.push(peer);
    }
    return peers;
  }

  private async allPeers(name: string): Promise<PeerDto[]> {
    const peers: PeerDto[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.deps.peerQueries.list(name, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      peers.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return peers;
  }
}

function hoursUntil(iso: string): number {
  const hours = Math.ceil((Date.parse(iso) - Date.now()) / 3_600_000);
  if (hours < 1 || hours > SHARE_LINK_MAX_HOURS) {
    throw new WgdRefusal(`ExpireDate: must be within the next ${SHARE_LINK_MAX_HOURS} hours`);
  }
  return hours;
}
