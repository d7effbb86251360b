// The dashboard database, as Kysely sees it. The same tables and queries run on SQLite and
// PostgreSQL, so the column types are the common ground: text ids (UUIDs, and "local" for the local
// node), ISO-8601 text timestamps, 0/1 integers for booleans, JSON as text. Columns ending in `_enc`
// hold secrets encrypted at rest (see secrets/); they never leave the service layer unencrypted except
// in a peer's own client config.
import type { ColumnType, Generated } from "kysely";

/** 0 or 1: SQLite has no boolean type. */
export type Flag = number;
/** ISO-8601 UTC text. */
export type Timestamp = string;

/** `direct`: the dashboard calls the agent's URL; `dial-out`: the agent keeps a socket to the dashboard. */
export type NodeConnection = "direct" | "dial-out";

export interface NodeTable {
  id: string;
  name: string;
  /** null for the local node. */
  agent_url: string | null;
  secret_enc: string | null;
  /** Key id of the current secret; the agent also accepts the previous one during rotation. */
  secret_key_id: string | null;
  enabled: Flag;
  weight: number;
  /** Soft cap; 1000 when the admin gives none. */
  max_peers: number;
  /** Public host clients use to reach this node (the client config's Endpoint host). */
  endpoint_host: string | null;
  status: "online" | "degraded" | "offline" | "unknown" | "unavailable";
  status_reason: string | null;
  consecutive_failures: number;
  last_health: string | null;
  last_seen_at: Timestamp | null;
  /** The agent instance the node is bound to (its health's instanceId); null until one answered. */
  agent_instance_id: string | null;
  /** What the node's agent does with drift it finds: repair it or only report it. Migration 020. */
  drift_policy: ColumnType<"repair" | "report", "repair" | "report" | undefined, "repair" | "report">;
  /** 1 while the node is drained or kept empty: placement passes it by. Migration 019. */
  draining: ColumnType<Flag, Flag | undefined, Flag>;
  /** How the dashboard reaches the agent: it calls agent_url, or the agent dials out. Migration 027. */
  connection: ColumnType<NodeConnection, NodeConnection | undefined, NodeConnection>;
  /** The replica holding a dial-out agent's socket now; null while it is not connected. */
  dial_out_replica: ColumnType<string | null, string | null | undefined, string | null>;
  /** Since when that socket is up. */
  dial_out_connected_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** When a piece of drift on a node was first seen (migration 020); deleted once it is gone. */
export interface DriftSightingTable {
  node_id: string;
  kind: "stray-peer" | "stray-interface" | "missing-peer";
  interface_name: string;
  /** The peer's public key; "" for a stray interface. */
  subject: string;
  first_seen_at: Timestamp;
}

export interface ConfigurationTable {
  id: string;
  name: string;
  description: string;
  /** JSON array of DNS servers (addresses or search domains) handed to clients. */
  dns: string;
  /** JSON array of CIDRs; the client config's AllowedIPs. */
  client_allowed_ips: string;
  mtu: number | null;
  keepalive: number | null;
  /** IANA time zone quota periods follow; migration 008. Defaults to "UTC". */
  time_zone: ColumnType<string, string | undefined, string>;
  /** JSON AccessSchedule for peers without their own; null: always on. */
  default_schedule: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InterfaceTable {
  id: string;
  configuration_id: string;
  node_id: string;
  /** The interface's name on its node ("wg0"). */
  name: string;
  private_key_enc: string;
  public_key: string;
  listen_port: number;
  /** host:port clients connect to; derived from the node's endpoint host when not set. */
  endpoint: string | null;
  /** IPv4 pool CIDR; its first usable address is the interface's own address. */
  pool_v4: string;
  pool_v6: string | null;
  /** The interface's MTU on its node; also its clients' unless a peer sets one. */
  mtu: number | null;
  /** JSON array: DNS for its clients instead of the configuration's; null: the configuration's. */
  dns: string | null;
  /** Bumped on every change of desired state; the agent refuses older revisions. */
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PeerTable {
  id: string;
  interface_id: string;
  name: string;
  /** A one-line note for admins; null when none. */
  description: string | null;
  /** Where the peer's share link and warnings are mailed; null: none. Migration 021. */
  contact_email: ColumnType<string | null, string | null | undefined, string | null>;
  public_key: string;
  /** Kept only when the dashboard generated the key pair, to render the client config. */
  private_key_enc: string | null;
  preshared_key_enc: string | null;
  /** JSON array of host routes ("198.51.100.2/32", "2001:db8::2/128"). */
  addresses: string;
  client_allowed_ips: string;
  /** JSON array, or null to inherit the configuration's. */
  dns: string | null;
  mtu: number | null;
  keepalive: number | null;
  enabled: Flag;
  expires_at: Timestamp | null;
  /** JSON TrafficBudget the node was last told (id, bytes left, counting); null: none. Migration 011. */
  quota_budget: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON AccessSchedule of the peer's own; null: its configuration's default applies. Migration 008. */
  schedule: ColumnType<string | null, string | null | undefined, string | null>;
  /** What the node last reported it keeps the peer off the kernel for; null: not suspended. */
  suspension_reason: ColumnType<
    "expired" | "schedule" | "quota" | null,
    "expired" | "schedule" | "quota" | null | undefined,
    "expired" | "schedule" | "quota" | null
  >;
  suspended_since: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  state: "pending" | "active" | "failed";
  /** The replica whose creation a `pending` peer belongs to; null for older rows. Migration 025. */
  owner_replica: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Live counters, kept apart from the peer so the list is fast; totals survive counter resets. */
export interface PeerStatsTable {
  peer_id: string;
  rx_bytes: number;
  tx_bytes: number;
  /** The last raw counters read from the interface; a smaller reading means the counter reset. */
  raw_rx: number;
  raw_tx: number;
  latest_handshake_at: Timestamp | null;
  endpoint: string | null;
  updated_at: Timestamp;
}

/** One interface's traffic in one minute bucket (`at` is the bucket's start); migration 002. */
export interface TrafficSampleTable {
  interface_id: string;
  node_id: string;
  /** Null for buckets of interfaces deleted before migration 010. */
  configuration_id: string | null;
  at: Timestamp;
  rx_bytes: number;
  tx_bytes: number;
}

/** One peer's traffic in one bucket (minute, hour or day; `at` is its start); migration 010. */
export interface TrafficPeerBucketTable {
  peer_id: string;
  at: Timestamp;
  rx_bytes: number;
  tx_bytes: number;
}

/** One interface's traffic in one hour or day (`at` is its start), with its node and configuration. */
export interface TrafficInterfaceBucketTable {
  interface_id: string;
  node_id: string;
  configuration_id: string | null;
  at: Timestamp;
  rx_bytes: number;
  tx_bytes: number;
}

/** A distinct latest-handshake time seen for a peer; migration 010. */
export interface TrafficPeerHandshakeTable {
  peer_id: string;
  at: Timestamp;
}

/** How far the traffic rollup got: every bucket before `until` is rolled into table `name`. */
export interface TrafficRollupMarkTable {
  name: "hours" | "days";
  until: Timestamp;
}

/** The unique (interface_id, pool, address) key is the last guard against double allocation. */
export interface IpAllocationTable {
  interface_id: string;
  pool: string;
  address: string;
  peer_id: string;
  created_at: Timestamp;
}

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  role: "admin" | "viewer";
  must_change_password: Flag;
  totp_secret_enc: string | null;
  /** An enrolment's secret (encrypted) until a code confirms it; then it moves to totp_secret_enc. */
  totp_pending_enc: ColumnType<string | null, string | null | undefined, string | null>;
  /** The last TOTP step (Unix time / 30 s) a login used; codes of that step or earlier are refused. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An OpenID Connect identity (issuer + subject) linked to a user (migration 014). */
export interface UserIdentityTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
  last_login_at: Timestamp | null;
}

/** One-time recovery codes for two-factor sign-in: only a hash of each; `used_at` spends it. */
export interface UserRecoveryCodeTable {
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: string | null;
}

export interface SessionTable {
  /** SHA-256 hex of the cookie token; the token itself is never stored. */
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface ApiKeyTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 hex of the key; keys are long random strings, so a fast hash is right here. */
  key_hash: string;
  /** The first characters of the key, shown in lists so a person can tell keys apart. */
  prefix: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** "api": the native API only; "wgdashboard": the WGDashboard-compatible API only. */
  scope: Generated<string>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
  /** What kind of thing `target` is: "peer", "node", … (migration 015). */
  entity: string | null;
  /** The client's address (X-Forwarded-For when --trust-proxy); null for jobs and the CLI. */
  address: string | null;
  /** The API key's name when the request used one (`actor` is then the key's user). */
  api_key: string | null;
  /** JSON: field → {before, after}, or {changed: true} for a secret's field. */
  changes: string | null;
}

export interface ShareLinkTable {
  id: string;
  peer_id: string;
  /** SHA-256 (hex) of the link's token; the token itself is never stored. */
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** 1: the first config download spends the link (migration 012, as are the columns below). */
  one_time: ColumnType<Flag, Flag | undefined, Flag>;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** The admin (or API key's user) who made it. */
  created_by: string | null;
}

/** What a lifecycle rule did to a peer (migration 008). No foreign key: it outlives its peer. */
export interface PeerLifecycleEventTable {
  id: Generated<number>;
  peer_id: string;
  /** The peer's and its configuration's names when it happened, readable after a delete. */
  peer_name: string;
  configuration_name: string;
  at: Timestamp;
  kind: "suspended" | "restored" | "disabled" | "deleted" | "quota_warning" | "period_reset";
  rule: "expiry" | "schedule" | "quota";
  detail: string;
}

/** A peer's traffic quota and what its current period has used (migration 011). */
export interface PeerQuotaTable {
  peer_id: string;
  bytes: number;
  period: "none" | "daily" | "weekly" | "monthly";
  reset_day: number;
  counting: "total" | "rx" | "tx";
  action: "suspend" | "disable" | "delete";
  warn_at_percent: number | null;
  period_start: Timestamp;
  /** null: period `none` (one budget for the peer's whole life). */
  period_end: Timestamp | null;
  /** The peer's stored totals (peer_stats) when the period began: the period used the totals minus these. */
  start_rx: ColumnType<number, number | undefined, number>;
  start_tx: ColumnType<number, number | undefined, number>;
  /** Set once the period's warning event was recorded. */
  warned: ColumnType<Flag, Flag | undefined, Flag>;
  /** Set once the quota's action ran this period. */
  exhausted: ColumnType<Flag, Flag | undefined, Flag>;
}

/** Small key/value facts about this database (e.g. the encryption key check value). */
/** The meta row that says every admin must use two-factor sign-in ("true" / "false"). */
export const REQUIRE_TOTP_FOR_ADMINS_META_KEY = "two_factor_require_admins";

export interface MetaTable {
  key: string;
  value: ColumnType<string, string, string>;
}

/** A webhook (migration 016): where the events it asks for are sent, signed with its secret. */
export interface WebhookTable {
  id: string;
  name: string;
  url: string;
  /** The signing secret, encrypted (SecretBox). */
  secret_enc: string;
  /** The secret's last four characters, shown in place of it. */
  secret_hint: string;
  /** JSON array of event names. */
  events: string;
  enabled: number;
  /** 1: deliveries may go to private, loopback and other non-public addresses. */
  allow_private: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One event for one webhook: queued, tried with backoff, kept as the delivery log. */
export interface WebhookDeliveryTable {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  /** The JSON body sent, fixed when the event happened. */
  payload: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  /** When the worker takes it next (a claim pushes it past the attempt's timeout); null once settled. */
  next_attempt_at: Timestamp | null;
  last_attempt_at: Timestamp | null;
  response_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

/**
 * A peer's move between two interfaces of its configuration (migration 019): `pending` while the new
 * address is taken and the target called (the target's desired state carries the peer with
 * `new_addresses`); `grace` once switched, while the source keeps the old copy with `old_addresses`
 * until `grace_until`.
 */
export interface PeerMoveTable {
  id: string;
  peer_id: string;
  from_interface_id: string;
  to_interface_id: string;
  /** JSON array of host routes. */
  old_addresses: string;
  new_addresses: string;
  state: "pending" | "grace";
  grace_until: Timestamp | null;
  created_at: Timestamp;
  /** The replica whose move a `pending` row is (migration 028); null when unknown. */
  owner_replica: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Resumable background work (a drain): its items are job_items. */
export interface JobTable {
  id: string;
  kind: "drain";
  /** What the job works on (a node id for a drain). */
  subject: string;
  /** JSON of the job's settings (a drain: graceHours). */
  params: string;
  status: "running" | "done" | "failed";
  total: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface JobItemTable {
  job_id: string;
  position: number;
  /** The item worked on (a peer id). */
  item_id: string;
  /** What to show for it (a peer's name). */
  label: string;
  /** Where it goes (a node id); null when nothing fits. */
  target: string | null;
  state: "pending" | "done" | "failed" | "skipped";
  error: string | null;
  updated_at: Timestamp;
}

/** An alert (migration 023): one row per firing, `resolved` once its condition ended. */
export interface AlertTable {
  id: string;
  kind: "node.offline" | "node.degraded" | "pool.full" | "drift.repairs" | "handshakes.stale";
  /** A node id, "<interface id>/<pool>", or "fleet". */
  subject: string;
  state: "firing" | "resolved";
  fired_at: Timestamp;
  resolved_at: Timestamp | null;
  /** JSON of the facts when it fired. */
  details: string;
}

/** One drift repair report of a node (migration 023): repairs per hour are counted from these. */
export interface AlertDriftRepairTable {
  node_id: string;
  at: Timestamp;
  repairs: number;
}

/** How many addresses of a pool were used in an hour (migration 023): the forecast's history. */
export interface PoolUsageHourTable {
  interface_id: string;
  pool: string;
  /** The hour's start. */
  hour: Timestamp;
  used: number;
}

/** A node's secret rotation in flight (migration 022); the row is gone once the old secret is dropped. */
export interface NodeSecretRotationTable {
  node_id: string;
  new_key_id: string;
  new_secret_enc: string;
  old_key_id: string;
  /** handing: the agent is being given the new secret; switched: the dashboard signs with it. */
  state: "handing" | "switched";
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A one-time enrollment token (migration 022); only its SHA-256 is kept. */
export interface JoinTokenTable {
  id: string;
  name: string | null;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  /** The node that joined with it (null while unused, or once that node was deleted). */
  node_id: string | null;
}

/**
 * Peers per interface, kept by triggers on `peers` (migration 030): what `auto` placement weighs nodes
 * by without counting their peers. No row: the interface has no peers.
 */
export interface InterfacePeerCountTable {
  interface_id: string;
  peers: number;
}

/**
 * Addresses handed out per interface pool, kept by triggers on `ip_allocations` (migration 031): what
 * placement's full-pool check and pool usage read without counting allocations. No row: none.
 */
export interface PoolAllocationCountTable {
  interface_id: string;
  pool: string;
  allocated: number;
}

export interface Database {
  nodes: NodeTable;
  drift_sightings: DriftSightingTable;
  configurations: ConfigurationTable;
  interfaces: InterfaceTable;
  peers: PeerTable;
  interface_peer_counts: InterfacePeerCountTable;
  peer_stats: PeerStatsTable;
  peer_quotas: PeerQuotaTable;
  traffic_samples: TrafficSampleTable;
  traffic_peer_minutes: TrafficPeerBucketTable;
  traffic_peer_hours: TrafficPeerBucketTable;
  traffic_peer_days: TrafficPeerBucketTable;
  traffic_interface_hours: TrafficInterfaceBucketTable;
  traffic_interface_days: TrafficInterfaceBucketTable;
  traffic_peer_handshakes: TrafficPeerHandshakeTable;
  traffic_rollup_marks: TrafficRollupMarkTable;
  ip_allocations: IpAllocationTable;
  pool_allocation_counts: PoolAllocationCountTable;
  users: UserTable;
  sessions: SessionTable;
  user_identities: UserIdentityTable;
  api_keys: ApiKeyTable;
  audit_log: AuditLogTable;
  share_links: ShareLinkTable;
  peer_lifecycle_events: PeerLifecycleEventTable;
  meta: MetaTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  user_recovery_codes: UserRecoveryCodeTable;
  peer_moves: PeerMoveTable;
  jobs: JobTable;
  job_items: JobItemTable;
  email_settings: EmailSettingsTable;
  email_outbox: EmailOutboxTable;
  alerts: AlertTable;
  alert_drift_repairs: AlertDriftRepairTable;
  pool_usage_hours: PoolUsageHourTable;
  node_secret_rotations: NodeSecretRotationTable;
  join_tokens: JoinTokenTable;
  replicas: ReplicaTable;
  rate_limit_counters: RateLimitCounterTable;
  agent_relay_requests: AgentRelayRequestTable;
}

/** A `wgfleet serve` process (migration 025); its row is removed at a clean shutdown. */
export interface ReplicaTable {
  id: string;
  hostname: string;
  pid: number;
  started_at: Timestamp;
  /** Renewed every few seconds; a replica whose heartbeat is old has stopped. */
  heartbeat_at: Timestamp;
}

/** Events counted for one rate-limit key in one fixed window (migration 025). */
export interface RateLimitCounterTable {
  key: string;
  /** The window's start, in milliseconds since the epoch. */
  window_start: number;
  count: number;
}

/** The SMTP settings (migration 021): one row, id 1, once an admin saved them. */
export interface EmailSettingsTable {
  id: number;
  enabled: Flag;
  host: string;
  port: number;
  security: "none" | "starttls" | "tls";
  username: string | null;
  password_enc: string | null;
  from_address: string;
  updated_at: Timestamp;
}

/**
 * A warning mail queued for a peer's contact address (migration 021). `dedupe_key` (peer, kind and the
 * period it is for) is unique, so each warning is queued once however often the scan runs; the row is
 * the queue and the log, so a restart loses none.
 */
export interface EmailOutboxTable {
  id: string;
  dedupe_key: string;
  peer_id: string | null;
  kind: "expiry_7d" | "expiry_1d" | "quota_80";
  recipient: string;
  subject: string;
  body: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

/** One request relayed to the replica holding a dial-out node's socket (migration 029). */
export interface AgentRelayRequestTable {
  id: string;
  node_id: string;
  /** The replica waiting for the answer (notified when it is written). */
  requester_replica: string;
  /** The replica holding the node's socket when the request was written. */
  target_replica: string;
  /** The signed request as JSON: method, url, headers, body (never re-signed). */
  frame: string;
  created_at: Timestamp;
  /** When the target took it (null: nobody did yet). */
  taken_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent's answer as JSON (status, contentType, body), or why the target could not send it. */
  answer: ColumnType<string | null, string | null | undefined, string | null>;
  answered_at: ColumnType<string | null, string | null | undefined, string | null>;
}
