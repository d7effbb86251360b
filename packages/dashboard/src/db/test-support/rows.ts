// Minimal valid rows for tests that need a node / configuration / interface / peer / user to exist.
// Test-only (excluded from the build); values are placeholders, not real keys.
import { randomUUID } from "node:crypto";
import { type Insertable, sql } from "kysely";
import { nowIso } from "../../clock.js";
import type { Db } from "../connection.js";
import type { ConfigurationTable, InterfaceTable, NodeTable, PeerTable, UserTable } from "../schema.js";

export async function insertNode(db: Db, row: Partial<Insertable<NodeTable>> = {}): Promise<string> {
  const id = row.id ?? randomUUID();
  const now = nowIso();
  await db
    .insertInto("nodes")
    .values({
      id,
      name: `node-${id.slice(0, 8)}`,
      agent_url: null,
      secret_enc: null,
      secret_key_id: null,
      enabled: 1,
      weight: 100,
      max_peers: 1000,
      endpoint_host: null,
      status: "unknown",
      status_reason: null,
      consecutive_failures: 0,
      last_health: null,
      last_seen_at: null,
      created_at: now,
      updated_at: now,
      ...row,
    })
    .execute();
  return id;
}

export async function insertConfiguration(
  db: Db,
  row: Partial<Insertable<ConfigurationTable>> = {},
): Promise<string> {
  const id = row.id ?? randomUUID();
  const now = nowIso();
  await db
    .insertInto("configurations")
    .values({
      id,
      name: `conf-${id.slice(0, 8)}`,
      description: "",
      dns: "[]",
      client_allowed_ips: JSON.stringify(["0.0.0.0/0", "::/0"]),
      mtu: null,
      keepalive: null,
      created_at: now,
      updated_at: now,
      ...row,
    })
    .execute();
  return id;
}

/** Creates the node and configuration too unless their ids are given. */
export async function insertInterface(
  db: Db,
  row: Partial<Insertable<InterfaceTable>> = {},
): Promise<string> {
  const id = row.id ?? randomUUID();
  const now = nowIso();
  await db
    .insertInto("interfaces")
    .values({
      id,
      configuration_id: row.configuration_id ?? (await insertConfiguration(db)),
      node_id: row.node_id ?? (await insertNode(db)),
      name: "wg0",
      private_key_enc: "v1:placeholder",
      public_key: `pub-${id}`,
      listen_port: 51820,
      endpoint: null,
      pool_v4: "198.51.100.0/24",
      pool_v6: null,
      mtu: null,
      revision: 1,
      created_at: now,
      updated_at: now,
      ...row,
    })
    .execute();
  return id;
}

/**
 * A configuration hosted on `count` nodes (node-0 …), one interface on each with the id `iface-<i>`
 * (so SQL can spread rows over them), as a fleet has it.
 */
export async function insertConfigurationOnNodes(
  db: Db,
  count: number,
): Promise<{ configuration: string; interfaces: string[] }> {
  const configuration = await insertConfiguration(db);
  const interfaces: string[] = [];
  for (let i = 0; i < count; i++) {
    const node = await insertNode(db, { id: `node-${i}` });
    interfaces.push(
      await insertInterface(db, {
        id: `iface-${i}`,
        configuration_id: configuration,
        node_id: node,
        name: `wg${i}`,
      }),
    );
  }
  return { configuration, interfaces };
}

/**
 * Peers n = from … to − 1 in one statement, for plan tests that need tens of thousands: id `peer-<n>`,
 * key `key-<n>`, name `<namePrefix><n + nameOffset>`, spread in turn over insertConfigurationOnNodes'
 * interfaces `iface-0` … `iface-<interfaces − 1>`. Placeholder values, no stats rows.
 */
export async function insertPeerSeries(
  db: Db,
  options: { from?: number; to: number; interfaces: number; namePrefix?: string; nameOffset?: number },
): Promise<void> {
  const { from = 0, to, interfaces, namePrefix = "name-", nameOffset = 0 } = options;
  await sql`with recursive series(n) as (select ${sql.lit(from)} union all select n + 1 from series where n < ${sql.lit(to - 1)})
    insert into peers (id, interface_id, name, public_key, addresses, client_allowed_ips, enabled, state, created_at, updated_at)
    select 'peer-' || n, 'iface-' || (n % ${sql.lit(interfaces)}), ${namePrefix} || (n + ${sql.lit(nameOffset)}), 'key-' || n,
      '[]', '[]', 1, 'active', 'x', 'x'
    from series`.execute(db);
}

/** Creates an interface too unless `interface_id` is given. */
export async function insertPeer(db: Db, row: Partial<Insertable<PeerTable>> = {}): Promise<string> {
  const id = row.id ?? randomUUID();
  const now = nowIso();
  await db
    .insertInto("peers")
    .values({
      id,
      interface_id: row.interface_id ?? (await insertInterface(db)),
      name: `peer-${id.slice(0, 8)}`,
      public_key: `pub-${id}`,
      private_key_enc: null,
      preshared_key_enc: null,
      addresses: "[]",
      client_allowed_ips: JSON.stringify(["0.0.0.0/0", "::/0"]),
      dns: null,
      mtu: null,
      keepalive: null,
      enabled: 1,
      expires_at: null,
      state: "active",
      created_at: now,
      updated_at: now,
      ...row,
    })
    .execute();
  return id;
}

export async function insertUser(db: Db, row: Partial<Insertable<UserTable>> = {}): Promise<string> {
  const id = row.id ?? randomUUID();
  const now = nowIso();
  await db
    .insertInto("users")
    .values({
      id,
      username: `user-${id.slice(0, 8)}`,
      password_hash: "placeholder",
      role: "admin",
      must_change_password: 0,
      totp_secret_enc: null,
      created_at: now,
      updated_at: now,
      ...row,
    })
    .execute();
  return id;
}
