// SQL for peers and their address rows. The list query joins the stored live stats so a page is one
// query, filters in SQL and pages by keyset on (name, id), which the (interface_id, name, id) and
// (name, id) indexes serve; its rows come as arrays (selectArrays). Queries that feed the API never
// select the encrypted key columns.

import type { PeerStatusFilter } from "@wgfleet/core";
import {
  type Expression,
  type ExpressionBuilder,
  expressionBuilder,
  type Insertable,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import { nowIso } from "../clock.js";
import { type Db, PreparedQuery, selectArrays } from "../db/index.js";
import type { Database, PeerTable } from "../db/schema.js";
import type { ListedInterface } from "../interfaces/index.js";
import type { QuotaColumns } from "../lifecycle/quota.js";
import { QUOTA_SELECTION } from "../lifecycle/quota.repository.js";

export type PeerRow = Selectable<PeerTable>;
export type NewPeerRow = Insertable<PeerTable>;
export type PeerUpdate = Updateable<PeerTable>;

/** A peer as the API shows it: row fields without secrets, its interface, stored live stats and quota. */
export interface PeerView extends QuotaColumns {
  id: string;
  interfaceId: string;
  interfaceName: string;
  nodeId: string;
  configurationId: string;
  name: string;
  description: string | null;
  contactEmail: string | null;
  publicKey: string;
  hasPrivateKey: boolean;
  hasPresharedKey: boolean;
  addresses: string;
  clientAllowedIps: string;
  dns: string | null;
  mtu: number | null;
  keepalive: number | null;
  enabled: number;
  expiresAt: string | null;
  /** The peer's own schedule (JSON text), or null. */
  schedule: string | null;
  /** What its node reports it keeps the peer off the kernel for, and since when; null: on the kernel. */
  suspensionReason: PeerRow["suspension_reason"];
  suspendedSince: string | null;
  state: PeerRow["state"];
  createdAt: string;
  updatedAt: string;
  rxBytes: number | null;
  txBytes: number | null;
  latestHandshakeAt: string | null;
  endpoint: string | null;
  statsUpdatedAt: string | null;
}

/** A peer's name and configuration, for requests that name peers by id. */
export interface PeerOwner {
  id: string;
  name: string;
  configurationId: string;
  hasPrivateKey: boolean;
}

/** Ids per `IN (…)` query: far below SQLite's and PostgreSQL's parameter limits. */
const ID_CHUNK = 500;

export interface PeerListQuery {
  /** The configuration's interfaces (only those on the wanted node, when filtering by node). */
  interfaces: readonly ListedInterface[];
  search?: string;
  status?: PeerStatusFilter;
  /** Handshakes at or after this ISO time count as online. */
  onlineSince: string;
  now: string;
  limit: number;
  after?: { name: string; id: string };
}

/** The part of a peer the node's desired state is built from (secrets still encrypted). */
/** Filters reference the peers table only, so the count needs no join. */
type ListEb = ExpressionBuilder<Database & { p: PeerTable }, "p">;

export class PeerRepository {
  /** `ownerReplica`: this process's replica id, recorded on the `pending` peers it inserts. */
  constructor(
    private readonly db: Db,
    private readonly ownerReplica: string | null = null,
  ) {}

  async insert(row: NewPeerRow, db: Db = this.db): Promise<void> {
    await insertPeer.execute(db, this.owned(row));
  }

  /**
   * Many peers (a bulk creation's, a group of creations) as multi-row inserts of INSERT_CHUNK rows: a
   * few statements instead of one per peer, each well below SQLite's and PostgreSQL's bound-parameter
   * limits.
   */
  async insertMany(rows: readonly NewPeerRow[], db: Db = this.db): Promise<void> {
    const owned = rows.map((row) => this.owned(row));
    for (let start = 0; start < owned.length; start += INSERT_CHUNK)
      await insertPeers.execute(db, owned.slice(start, start + INSERT_CHUNK));
  }

  /** A `pending` row names the replica whose creation it is: another replica's start leaves it alone. */
  private owned(row: NewPeerRow): NewPeerRow {
    const owner = row.state === "pending" ? (row.owner_replica ?? this.ownerReplica) : null;
    return { ...row, owner_replica: owner };
  }

  async findById(id: string): Promise<PeerRow | undefined> {
    return this.db.selectFrom("peers").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async findView(id: string): Promise<PeerView | undefined> {
    const raw = await peerViewQuery(this.db).where("p.id", "=", id).executeTakeFirst();
    return raw && toView(raw);
  }

  /** The peer with this public key on one of these interfaces (a configuration's), if any. */
  async findViewByPublicKey(interfaceIds: string[], publicKey: string): Promise<PeerView | undefined> {
    if (interfaceIds.length === 0) return undefined;
    const raw = await peerViewQuery(this.db)
      .where("p.interface_id", "in", interfaceIds)
      .where("p.public_key", "=", publicKey)
      .executeTakeFirst();
    return raw && toView(raw);
  }

  /**
   * Which of these ids are peers, with their name, configuration and whether the dashboard holds the
   * private key (no key column selected). Asked in chunks so the bound parameters stay few.
   */
  async findOwners(ids: string[]): Promise<PeerOwner[]> {
    const owners: PeerOwner[] = [];
    for (let start = 0; start < ids.length; start += ID_CHUNK) {
      const rows = await this.db
        .selectFrom("peers as p")
        .innerJoin("interfaces as i", "i.id", "p.interface_id")
        .select((eb) => [
          "p.id as id",
          "p.name as name",
          "i.configuration_id as configurationId",
          eb
            .case()
            .when("p.private_key_enc", "is not", null)
            .then(1)
            .else(0)
            .end()
            .$castTo<number>()
            .as("privateKeyFlag"),
        ])
        .where("p.id", "in", ids.slice(start, start + ID_CHUNK))
        .execute();
      for (const { privateKeyFlag, ...row } of rows)
        owners.push({ ...row, hasPrivateKey: Number(privateKeyFlag) === 1 });
    }
    return owners;
  }

  async publicKeyTaken(interfaceId: string, publicKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("peers")
      .select("id")
      .where("interface_id", "=", interfaceId)
      .where("public_key", "=", publicKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Whether another peer of the configuration (on any of its interfaces) has this name, ignoring case.
   * `lower()` folds ASCII in SQLite and all letters in PostgreSQL: names differing only in ASCII case
   * count as the same everywhere.
   */
  async nameTaken(
    configurationId: string,
    name: string,
    exceptId?: string,
    db: Db = this.db,
  ): Promise<boolean> {
    const rows =
      exceptId === undefined
        ? await nameTaken.rows(db, configurationId, name)
        : await nameTakenByOther.rows(db, configurationId, name, exceptId);
    return rows.length > 0;
  }

  async setState(id: string, state: PeerRow["state"]): Promise<void> {
    await this.db.updateTable("peers").set({ state, updated_at: nowIso() }).where("id", "=", id).execute();
  }

  async update(id: string, changes: PeerUpdate, db: Db = this.db): Promise<void> {
    await db
      .updateTable("peers")
      .set({ ...changes, updated_at: nowIso() })
      .where("id", "=", id)
      .execute();
  }

  /** A created peer is live on its node; false when its row is gone (settled away by another process). */
  async activate(id: string, at: string = nowIso()): Promise<boolean> {
    return (await activatePeer.affected(this.db, id, at)) > 0;
  }

  /** Deletes the peer; its addresses, stats and share links go by the foreign keys' cascades. */
  async delete(id: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom("peers").where("id", "=", id).execute();
  }

  async pendingOfInterface(
    interfaceId: string,
  ): Promise<Array<{ id: string; public_key: string; created_at: string; owner_replica: string | null }>> {
    return this.db
      .selectFrom("peers")
      .select(["id", "public_key", "created_at", "owner_replica"])
      .where("interface_id", "=", interfaceId)
      .where("state", "=", "pending")
      .execute();
  }

  async list(query: PeerListQuery): Promise<{ items: PeerView[]; total: number }> {
    if (query.interfaces.length === 0) return { items: [], total: 0 };
    const [rows, total] = await Promise.all([
      selectArrays(this.db, peerPageQuery(this.db, query).compile()),
      this.countListed(query),
    ]);
    const interfaces = new Map(query.interfaces.map((iface) => [iface.id, iface]));
    return { items: rows.map((row) => pageRowView(row, interfaces)), total };
  }

  /**
   * The list's `total`. Without a search or status filter it is every peer of the interfaces, which the
   * database keeps per interface (interface_peer_counts, migration 030: triggers on `peers` in the same
   * statement): one row per interface instead of counting them, a sequential scan of 100,000 peers on
   * PostgreSQL for every page.
   */
  private async countListed(query: PeerListQuery): Promise<number> {
    const ids = query.interfaces.map((iface) => iface.id);
    if (!query.search && query.status === undefined) {
      const kept = await this.db
        .selectFrom("interface_peer_counts")
        .select((eb) => eb.fn.sum<number | string | null>("peers").as("total"))
        .where("interface_id", "in", ids)
        .executeTakeFirstOrThrow();
      return Number(kept.total ?? 0);
    }
    const counted = await this.db
      .selectFrom("peers as p")
      .select((eb) => eb.fn.countAll<number | string>().as("total"))
      .where((eb) => eb.and(filters(eb, query)))
      .executeTakeFirstOrThrow();
    return Number(counted.total);
  }
}

/**
 * One page of the list (a test reads its plan): keyset on (name, id) after the cursor, through the
 * (interface_id, name, id) index. The cursor is a row-value comparison, not `name > ? or (name = ? and
 * id > ?)`: with bound values SQLite started the range at the interface's first peer for the OR form
 * and filtered up to the cursor, so page N of a full read scanned N pages' rows. No join of
 * `interfaces`: the caller has the page's interfaces (pageRowView takes their fields from them).
 */
export function peerPageQuery(db: Db, query: PeerListQuery) {
  let page = db
    .selectFrom("peers as p")
    .leftJoin("peer_stats as s", "s.peer_id", "p.id")
    .leftJoin("peer_quotas as q", "q.peer_id", "p.id")
    .select(PEER_SELECTION)
    .where((eb) => eb.and(filters(eb, query)));
  if (query.after) {
    const { name, id } = query.after;
    page = page.where((eb) => eb(eb.refTuple("p.name", "p.id"), ">", eb.tuple(name, id)));
  }
  return page.orderBy("p.name").orderBy("p.id").limit(query.limit);
}

/** A peer's own columns and its stats and quota (`p`, `s`, `q`), as the view names them. */
const PEER_SELECTION = (() => {
  const eb = expressionBuilder<Database & { p: PeerTable }, "p">();
  const flag = (column: "p.private_key_enc" | "p.preshared_key_enc") =>
    eb.case().when(column, "is not", null).then(1).else(0).end().$castTo<number>();
  return [
    "p.id as id",
    "p.interface_id as interfaceId",
    "p.name as name",
    "p.description as description",
    "p.contact_email as contactEmail",
    "p.public_key as publicKey",
    flag("p.private_key_enc").as("privateKeyFlag"),
    flag("p.preshared_key_enc").as("presharedKeyFlag"),
    "p.addresses as addresses",
    "p.client_allowed_ips as clientAllowedIps",
    "p.dns as dns",
    "p.mtu as mtu",
    "p.keepalive as keepalive",
    "p.enabled as enabled",
    "p.expires_at as expiresAt",
    ...QUOTA_SELECTION,
    "p.schedule as schedule",
    "p.suspension_reason as suspensionReason",
    "p.suspended_since as suspendedSince",
    "p.state as state",
    "p.created_at as createdAt",
    "p.updated_at as updatedAt",
    "s.rx_bytes as rxBytes",
    "s.tx_bytes as txBytes",
    "s.latest_handshake_at as latestHandshakeAt",
    "s.endpoint as endpoint",
    "s.updated_at as statsUpdatedAt",
  ] as const;
})();

/** Where each alias sits in a page row (rows come as arrays: selectArrays), from the select list. */
const AT: Readonly<Record<keyof RawView, number>> = (() => {
  const at: Record<string, number> = {};
  PEER_SELECTION.forEach((selection, index) => {
    const alias = typeof selection === "string" ? selection.split(" as ")[1] : selection.alias;
    if (typeof alias !== "string") throw new Error("a list page column has no alias");
    at[alias] = index;
  });
  return at as Record<keyof RawView, number>;
})();

/**
 * A page row (an array in PEER_SELECTION's order) as the view, its interface's fields from the
 * caller's interfaces. One object literal: every view has the same shape, cheaper than the driver's
 * object per row (and the compiler checks it has every field of the view).
 */
function pageRowView(row: unknown[], interfaces: ReadonlyMap<string, ListedInterface>): PeerView {
  const v = <K extends keyof RawView>(key: K) => row[AT[key]] as RawView[K];
  const iface = interfaces.get(v("interfaceId"));
  if (!iface) throw new Error(`peer ${v("id")}: its interface is not among the listed ones`);
  const rxBytes = v("rxBytes");
  const txBytes = v("txBytes");
  return {
    id: v("id"),
    interfaceId: iface.id,
    interfaceName: iface.name,
    nodeId: iface.node_id,
    configurationId: iface.configuration_id,
    name: v("name"),
    description: v("description"),
    contactEmail: v("contactEmail"),
    publicKey: v("publicKey"),
    hasPrivateKey: Number(v("privateKeyFlag")) === 1,
    hasPresharedKey: Number(v("presharedKeyFlag")) === 1,
    addresses: v("addresses"),
    clientAllowedIps: v("clientAllowedIps"),
    dns: v("dns"),
    mtu: v("mtu"),
    keepalive: v("keepalive"),
    enabled: v("enabled"),
    expiresAt: v("expiresAt"),
    quotaBytes: v("quotaBytes"),
    quotaPeriod: v("quotaPeriod"),
    quotaResetDay: v("quotaResetDay"),
    quotaCounting: v("quotaCounting"),
    quotaAction: v("quotaAction"),
    quotaWarnAtPercent: v("quotaWarnAtPercent"),
    quotaPeriodStart: v("quotaPeriodStart"),
    quotaPeriodEnd: v("quotaPeriodEnd"),
    quotaUsedRx: v("quotaUsedRx"),
    quotaUsedTx: v("quotaUsedTx"),
    schedule: v("schedule"),
    suspensionReason: v("suspensionReason"),
    suspendedSince: v("suspendedSince"),
    state: v("state"),
    createdAt: v("createdAt"),
    updatedAt: v("updatedAt"),
    rxBytes: rxBytes === null ? null : Number(rxBytes),
    txBytes: txBytes === null ? null : Number(txBytes),
    latestHandshakeAt: v("latestHandshakeAt"),
    endpoint: v("endpoint"),
    statsUpdatedAt: v("statsUpdatedAt"),
  };
}

function peerViewQuery(db: Db) {
  return db
    .selectFrom("peers as p")
    .innerJoin("interfaces as i", "i.id", "p.interface_id")
    .leftJoin("peer_stats as s", "s.peer_id", "p.id")
    .leftJoin("peer_quotas as q", "q.peer_id", "p.id")
    .select([
      ...PEER_SELECTION,
      "i.name as interfaceName",
      "i.node_id as nodeId",
      "i.configuration_id as configurationId",
    ])
    .$castTo<RawView>();
}

// Run by every peer creation (see db/prepared-query.ts).
const insertPeer = new PreparedQuery((db: Db, row: NewPeerRow) => db.insertInto("peers").values(row));

/** Rows per multi-row insert: about 25 columns each, so some 2,500 bound values a statement. */
const INSERT_CHUNK = 100;
/** Not named on PostgreSQL: a batch's last chunk has any length. */
const insertPeers = new PreparedQuery((db: Db, rows: NewPeerRow[]) => db.insertInto("peers").values(rows), {
  named: false,
});

const activatePeer = new PreparedQuery((db: Db, id: string, at: string) =>
  db.updateTable("peers").set({ state: "active", updated_at: at }).where("id", "=", id),
);

type RawView = Omit<PeerView, "hasPrivateKey" | "hasPresharedKey"> & {
  privateKeyFlag: number;
  presharedKeyFlag: number;
};

/**
 * The view is the driver's row with the flags turned into booleans, set in place: a rest/spread copy
 * of a row this wide cost more CPU than the query itself (profiled reading 10,000 peers in pages of
 * 500). The 0/1 flag columns stay on the object; nothing reads them past this point (toPeerDto picks
 * its fields).
 */
function toView(raw: RawView): PeerView {
  const view = raw as RawView & PeerView;
  view.hasPrivateKey = Number(raw.privateKeyFlag) === 1;
  view.hasPresharedKey = Number(raw.presharedKeyFlag) === 1;
  view.rxBytes = raw.rxBytes === null ? null : Number(raw.rxBytes);
  view.txBytes = raw.txBytes === null ? null : Number(raw.txBytes);
  return view;
}

function filters(eb: ListEb, query: PeerListQuery) {
  const conditions = [
    eb(
      "p.interface_id",
      "in",
      query.interfaces.map((iface) => iface.id),
    ),
  ];
  if (query.search) conditions.push(searchCondition(eb, query.search));
  const status = statusCondition(eb, query);
  if (status) conditions.push(status);
  return conditions;
}

/** LIKE with the user's text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Name contains the text (any case; the (interface_id, name, id) index covers it), address contains
 * it (only for text that can be part of an address), or the public key starts with it (a range on the
 * (interface_id, public_key) index).
 */
function searchCondition(eb: ListEb, search: string) {
  const options: Expression<SqlBool>[] = [
    sql<boolean>`lower(${eb.ref("p.name")}) like ${containsPattern(search.toLowerCase())} escape '\\'`,
  ];
  if (/^[0-9A-Fa-f.:/]+$/.test(search)) {
    options.push(
      sql<boolean>`${eb.ref("p.addresses")} like ${containsPattern(search.toLowerCase())} escape '\\'`,
    );
  }
  if (/^[A-Za-z0-9+/=]+$/.test(search)) {
    options.push(
      eb.and([eb("p.public_key", ">=", search), eb("p.public_key", "<", prefixUpperBound(search))]),
    );
  }
  return eb.or(options);
}

/** The smallest text above every text that starts with `prefix` (binary order; ASCII prefixes). */
function prefixUpperBound(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function statusCondition(eb: ListEb, query: PeerListQuery) {
  const handshakeSince = () =>
    eb.selectFrom("peer_stats").select("peer_id").where("latest_handshake_at", ">=", query.onlineSince);
  switch (query.status) {
    case undefined:
      return undefined;
    case "enabled":
      return eb("p.enabled", "=", 1);
    case "disabled":
      return eb("p.enabled", "=", 0);
    case "online":
      return eb("p.id", "in", handshakeSince());
    case "offline":
      return eb("p.id", "not in", handshakeSince());
    case "expired":
      return eb.and([eb("p.expires_at", "is not", null), eb("p.expires_at", "<=", query.now)]);
    case "suspended":
      // Peers their node reports it keeps off the kernel (expired, outside their schedule, over quota).
      return eb("p.suspension_reason", "is not", null);
    default:
      return eb("p.state", "=", query.status);
  }
}

/**
 * The name check's query (a test reads its plan): one index probe per interface of the configuration
 * through peers_interface_lower_name_idx (migration 025), not a read of every peer.
 */
export function nameTakenQuery(db: Db, configurationId: string, name: string, exceptId?: string) {
  let query = db
    .selectFrom("peers as p")
    .innerJoin("interfaces as i", "i.id", "p.interface_id")
    .select("p.id")
    .where("i.configuration_id", "=", configurationId)
    .where(sql<string>`lower(p.name)`, "=", sql<string>`lower(${name})`);
  if (exceptId !== undefined) query = query.where("p.id", "!=", exceptId);
  return query.limit(1);
}

/** Every creation and rename asks: compiled once (with and without a peer to leave out). */
const nameTaken = new PreparedQuery((db: Db, configurationId: string, name: string) =>
  nameTakenQuery(db, configurationId, name),
);
const nameTakenByOther = new PreparedQuery(
  (db: Db, configurationId: string, name: string, exceptId: string) =>
    nameTakenQuery(db, configurationId, name, exceptId),
);
