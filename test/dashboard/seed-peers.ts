// Writes a configuration, its interface on node `local` (IPv6 pool) and N peers with stats straight
// into the tables: list tests and measurements that need many peers without creating them one by one.
import { randomBytes, randomUUID } from "node:crypto";
import { generateKeyPair } from "@wgfleet/core";
import type { Db } from "../../packages/dashboard/src/db/index.js";

export const CONFIGURATION = "wglist";
const NOW = Date.now();

export interface SeededPeer {
  id: string;
  name: string;
  publicKey: string;
  address: string;
  enabled: boolean;
  online: boolean;
}

/** Names repeat (every 7th is "dup"), some carry LIKE wildcards, casing varies. */
function nameOf(i: number): string {
  if (i % 7 === 0) return "dup";
  if (i === 5) return "100%_sure";
  if (i === 6) return "Alice-Laptop";
  return `peer-${String(i).padStart(5, "0")}`;
}

export async function seedPeers(
  db: Db,
  count: number,
  configurationName = CONFIGURATION,
): Promise<SeededPeer[]> {
  const now = new Date(NOW).toISOString();
  const configurationId = randomUUID();
  const interfaceId = randomUUID();
  await db
    .insertInto("nodes")
    .values({
      id: "local",
      name: "local",
      agent_url: null,
      secret_enc: null,
      secret_key_id: null,
      enabled: 1,
      weight: 100,
      max_peers: 1_000_000,
      endpoint_host: null,
      status: "unknown",
      status_reason: null,
      consecutive_failures: 0,
      last_health: null,
      last_seen_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  await db
    .insertInto("configurations")
    .values({
      id: configurationId,
      name: configurationName,
      description: "",
      dns: "[]",
      client_allowed_ips: '["0.0.0.0/0"]',
      mtu: null,
      keepalive: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto("interfaces")
    .values({
      id: interfaceId,
      configuration_id: configurationId,
      node_id: "local",
      name: configurationName,
      private_key_enc: "x",
      public_key: generateKeyPair().publicKey,
      listen_port: 51820,
      endpoint: null,
      pool_v4: "",
      pool_v6: "2001:db8:7::/64",
      mtu: null,
      revision: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const peers: SeededPeer[] = [];
  for (let i = 0; i < count; i++) {
    peers.push({
      id: randomUUID(),
      name: nameOf(i),
      publicKey: randomBytes(32).toString("base64"),
      address: `2001:db8:7::${(i + 2).toString(16)}/128`,
      enabled: i % 5 !== 0,
      online: i % 3 === 0,
    });
  }
  for (let start = 0; start < peers.length; start += 200) {
    const chunk = peers.slice(start, start + 200);
    await db
      .insertInto("peers")
      .values(
        chunk.map((p) => ({
          id: p.id,
          interface_id: interfaceId,
          name: p.name,
          public_key: p.publicKey,
          private_key_enc: null,
          preshared_key_enc: null,
          addresses: JSON.stringify([p.address]),
          client_allowed_ips: '["0.0.0.0/0"]',
          dns: null,
          mtu: null,
          keepalive: null,
          enabled: p.enabled ? 1 : 0,
          expires_at: null,
          quota_budget: null,
          state: "active" as const,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await db
      .insertInto("peer_stats")
      .values(
        chunk.map((p) => ({
          peer_id: p.id,
          rx_bytes: 1000,
          tx_bytes: 2000,
          raw_rx: 1000,
          raw_tx: 2000,
          latest_handshake_at: new Date(NOW - (p.online ? 30_000 : 3_600_000)).toISOString(),
          endpoint: null,
          updated_at: now,
        })),
      )
      .execute();
  }
  return peers;
}
