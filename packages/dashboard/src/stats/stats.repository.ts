// SQL for stored live stats: the previous readings of an interface's peers and the batched upsert of
// new ones, with the traffic those readings added (per interface and per peer) written in the same
// transaction, so a crash never counts bytes twice or loses them. Traffic quotas read their usage from
// these totals. Same statements on SQLite and PostgreSQL (INSERT ... ON CONFLICT), but for how the
// previous readings are joined (countersOfInterfaceQuery).
import { type Db, dialectOf } from "../db/index.js";
import type { StoredCounters } from "./counters.js";
import { NO_PEER_HISTORY, type PeerHistory } from "./peer-history.js";
import { addPeerHistory } from "./peer-history.repository.js";
import { type TrafficSample, TrafficSamplesRepository } from "./traffic-samples.repository.js";

export interface PeerCountersRow {
  peerId: string;
  publicKey: string;
  previous: StoredCounters | undefined;
}

/** Rows per INSERT: well under SQLite's bound-parameter limit (8 columns each). */
const BATCH = 500;

export class StatsRepository {
  constructor(private readonly db: Db) {}

  async countersOfInterface(interfaceId: string): Promise<PeerCountersRow[]> {
    const rows = await countersOfInterfaceQuery(this.db, interfaceId).execute();
    return rows.map((r) => ({
      peerId: r.peerId,
      publicKey: r.publicKey,
      previous:
        r.statsPeerId === null
          ? undefined
          : {
              rxBytes: Number(r.rxBytes),
              txBytes: Number(r.txBytes),
              rawRx: Number(r.rawRx),
              rawTx: Number(r.rawTx),
              latestHandshakeAt: r.latestHandshakeAt,
              endpoint: r.endpoint,
            },
    }));
  }

  async save(
    readings: Array<{ peerId: string; counters: StoredCounters }>,
    at: string,
    samples: readonly TrafficSample[] = [],
    peers: PeerHistory = NO_PEER_HISTORY,
  ): Promise<void> {
    if (readings.length === 0 && samples.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      await TrafficSamplesRepository.add(trx, samples);
      await addPeerHistory(trx, peers);
      for (let i = 0; i < readings.length; i += BATCH) {
        const values = readings.slice(i, i + BATCH).map(({ peerId, counters }) => ({
          peer_id: peerId,
          rx_bytes: counters.rxBytes,
          tx_bytes: counters.txBytes,
          raw_rx: counters.rawRx,
          raw_tx: counters.rawTx,
          latest_handshake_at: counters.latestHandshakeAt,
          endpoint: counters.endpoint,
          updated_at: at,
        }));
        // A peer deleted since the reading started has no row to attach stats to: skip it.
        const existing = new Set(
          (
            await trx
              .selectFrom("peers")
              .select("id")
              .where(
                "id",
                "in",
                values.map((v) => v.peer_id),
              )
              .execute()
          ).map((r) => r.id),
        );
        const live = values.filter((v) => existing.has(v.peer_id));
        if (live.length === 0) continue;
        await trx
          .insertInto("peer_stats")
          .values(live)
          .onConflict((oc) =>
            oc.column("peer_id").doUpdateSet((eb) => ({
              rx_bytes: eb.ref("excluded.rx_bytes"),
              tx_bytes: eb.ref("excluded.tx_bytes"),
              raw_rx: eb.ref("excluded.raw_rx"),
              raw_tx: eb.ref("excluded.raw_tx"),
              latest_handshake_at: eb.ref("excluded.latest_handshake_at"),
              endpoint: eb.ref("excluded.endpoint"),
              updated_at: eb.ref("excluded.updated_at"),
            })),
          )
          .execute();
      }
    });
  }
}

/**
 * An interface's peers with their stored counters (none for a peer never read). On PostgreSQL each
 * peer's row is one probe of peer_stats' key (a LATERAL subquery with LIMIT stays a nested loop): with
 * a plain join the planner hashed the whole of peer_stats — every peer of the fleet — for each node's
 * poll, pricing a few hundred random reads above a scan of the table although it sits in memory.
 * SQLite's plan is that probe already.
 */
export function countersOfInterfaceQuery(db: Db, interfaceId: string) {
  const peers = db.selectFrom("peers as p").where("p.interface_id", "=", interfaceId);
  const joined =
    dialectOf(db) === "postgres"
      ? peers.leftJoinLateral(
          (eb) =>
            eb
              .selectFrom("peer_stats")
              .selectAll()
              .whereRef("peer_stats.peer_id", "=", "p.id")
              .limit(1)
              .as("s"),
          (join) => join.onTrue(),
        )
      : peers.leftJoin("peer_stats as s", "s.peer_id", "p.id");
  return joined.select([
    "p.id as peerId",
    "p.public_key as publicKey",
    "s.peer_id as statsPeerId",
    "s.rx_bytes as rxBytes",
    "s.tx_bytes as txBytes",
    "s.raw_rx as rawRx",
    "s.raw_tx as rawTx",
    "s.latest_handshake_at as latestHandshakeAt",
    "s.endpoint as endpoint",
  ]);
}
