// Cache invalidation across replicas with PostgreSQL's LISTEN/NOTIFY. Notices go out on one channel:
// plain ones through the ordinary pool (`pg_notify` after the change committed), gathered per
// event-loop turn into one statement; ones that carry the change itself through the writer's
// transaction (PostgreSQL delivers them only on commit, in commit order). Each replica LISTENs on a connection of its own (the pool's connections come
// and go). Its own notices come back to it too and are skipped by the sender id in the payload. A lost
// listening connection is opened again after a pause; once it listens again every cache is dropped,
// since the notices sent meanwhile reached nobody. The same connection carries the channels other
// parts listen on (NoticeChannels): one listening connection per replica.
import { sql } from "kysely";
import type pg from "pg";
import type { Db } from "../db/index.js";
import { loadPg } from "../db/index.js";
import type { Logger } from "../logging/logger.js";
import {
  CACHE_KINDS,
  type CacheInvalidation,
  type CacheKind,
  CacheSubscribers,
  type ChangeNotice,
  type InvalidatedCache,
} from "./cache-invalidation.js";
import type { NoticeChannels, NoticeListener } from "./notice-channels.js";

export const CACHE_CHANNEL = "wgfleet_cache";
/** The listening connection's application_name, then the replica's id (pg_stat_activity shows it). */
export const CACHE_LISTENER_APPLICATION = "wgfleet-cache";
/** The first pause before listening again; it doubles on each failure, up to the maximum. */
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
/** NOTIFY refuses a payload of 8000 bytes or more (PostgreSQL's default build). */
const MAX_PAYLOAD_BYTES = 7_999;

interface Notice {
  kind: CacheKind;
  id: string;
  /** The replica that published it. */
  from: string;
  /** What changed, when the sender said (absent: re-read `id`). */
  change?: unknown;
}

export interface PostgresCacheInvalidationOptions {
  url: string;
  /** Publishes through the ordinary pool. */
  db: Db;
  logger: Logger;
  /** This replica's id: its own notices are not for it. */
  replicaId: string;
}

export class PostgresCacheInvalidation implements CacheInvalidation, NoticeChannels {
  private readonly subscribers = new CacheSubscribers();
  /** The other channels listened on, and who hears them. */
  private readonly channels = new Map<string, NoticeListener>();
  /** The listening connection, or the one being opened. */
  private client: pg.Client | null = null;
  private outgoing = new Set<string>();
  private flushing: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectMs = RECONNECT_FIRST_MS;
  /** Whether listening was tried before (a connection after that means notices may have been missed). */
  private tried = false;
  private stopped = false;

  constructor(private readonly options: PostgresCacheInvalidationOptions) {}

  publish(kind: CacheKind, id: string): void {
    if (this.stopped) return;
    const first = this.outgoing.size === 0;
    this.outgoing.add(JSON.stringify({ kind, id, from: this.options.replicaId } satisfies Notice));
    if (first) setImmediate(() => this.flush());
  }

  catchUp(): void {}

  async changed(kind: CacheKind, id: string): Promise<void> {
    this.publish(kind, id);
    await this.subscribers.invalidate(kind, id);
  }

  async publishWithin(trx: Db, kind: CacheKind, notices: readonly ChangeNotice[]): Promise<void> {
    if (this.stopped || notices.length === 0) return;
    const from = this.options.replicaId;
    const payloads = notices.map(({ id, change }) => {
      const payload = JSON.stringify({ kind, id, from, change } satisfies Notice);
      return Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES ? JSON.stringify({ kind, id, from }) : payload;
    });
    // One statement however many notices (a grouped creation touches several interfaces); unnest
    // keeps the array's order.
    await sql`select pg_notify(${CACHE_CHANNEL}, payload) from unnest(${payloads}::text[]) as payload`.execute(
      trx,
    );
  }

  subscribe(kind: CacheKind, cache: InvalidatedCache): void {
    this.subscribers.add(kind, cache);
  }

  listenOn(channel: string, listener: NoticeListener): void {
    if (!/^[a-z_]{1,63}$/.test(channel) || channel === CACHE_CHANNEL)
      throw new Error(`not a channel to listen on: ${channel}`);
    this.channels.set(channel, listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.flush();
    await this.flushing;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  /** Sends the notices gathered so far in one statement; a failure is logged (the caches then lag). */
  private flush(): void {
    if (this.outgoing.size === 0) return;
    const payloads = [...this.outgoing];
    this.outgoing = new Set();
    const send = sql`select pg_notify(${CACHE_CHANNEL}, payload) from unnest(${payloads}::text[]) as payload`
      .execute(this.options.db)
      .then(() => undefined)
      .catch((error: Error) =>
        this.options.logger.warn(
          { replica: this.options.replicaId, notices: payloads.length, err: { message: error.message } },
          "cache invalidation: notices could not be sent",
        ),
      );
    this.flushing = send.finally(() => {
      if (this.flushing === send) this.flushing = null;
    });
  }

  private async listen(): Promise<void> {
    const again = this.tried;
    this.tried = true;
    const client = new (await loadPg()).Client({
      connectionString: this.options.url,
      application_name: `${CACHE_LISTENER_APPLICATION} ${this.options.replicaId}`,
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    this.client = client;
    client.on("notification", (message) => this.received(message.channel, message.payload));
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, null));
    try {
      await client.connect();
      for (const channel of [CACHE_CHANNEL, ...this.channels.keys()]) await client.query(`listen ${channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped || this.client !== client) {
      await client.end().catch(() => {});
      return;
    }
    this.reconnectMs = RECONNECT_FIRST_MS;
    if (!again) return;
    // Listening again: whatever changed while nobody listened is read afresh.
    this.options.logger.info({ replica: this.options.replicaId }, "cache invalidation: listening again");
    for (const listener of this.channels.values()) listener.missed();
    await this.subscribers
      .invalidateAll()
      .catch((error: Error) =>
        this.options.logger.warn(
          { err: { message: error.message } },
          "cache invalidation: a cache failed to drop",
        ),
      );
    this.options.logger.info({ replica: this.options.replicaId }, "cache invalidation: every cache dropped");
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    client.removeAllListeners("notification");
    void client.end().catch(() => {});
    this.options.logger.warn(
      { replica: this.options.replicaId, err: error ? { message: error.message } : undefined },
      "cache invalidation: the listening connection was lost",
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.listen();
    }, this.reconnectMs);
    this.reconnectTimer.unref();
    this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
  }

  private received(channel: string, payload: string | undefined): void {
    const listener = this.channels.get(channel);
    if (listener) {
      listener.heard(payload ?? "");
      return;
    }
    const notice = parseNotice(payload);
    if (!notice || notice.from === this.options.replicaId) return;
    this.subscribers
      .invalidate(notice.kind, notice.id, notice.change)
      .catch((error: Error) =>
        this.options.logger.warn(
          { kind: notice.kind, id: notice.id, err: { message: error.message } },
          "cache invalidation: a cache failed to drop its copy",
        ),
      );
  }
}

function parseNotice(payload: string | undefined): Notice | null {
  try {
    const notice = JSON.parse(payload ?? "") as Partial<Notice>;
    const kind = CACHE_KINDS.find((known) => known === notice.kind);
    if (kind && typeof notice.id === "string") {
      return { kind, id: notice.id, from: String(notice.from ?? ""), change: notice.change };
    }
  } catch {
    // not one of ours
  }
  return null;
}
