// The list of migrations, in code: no file globbing, so the same list runs from src (tests) and from
// dist (the bin). Append new migrations with the next number; never reorder or rename one.
import type { Migration, MigrationProvider } from "kysely";
import { initialMigration } from "./001-initial.js";
import { trafficSamplesMigration } from "./002-traffic-samples.js";
import { cascadesMigration } from "./003-cascades.js";
import { usernamesCaseInsensitiveMigration } from "./004-usernames-case-insensitive.js";
import { peerDescriptionMigration } from "./005-peer-description.js";
import { agentInstanceIdMigration } from "./006-agent-instance-id.js";
import { interfaceDnsMigration } from "./007-interface-dns.js";
import { peerLifecycleMigration } from "./008-peer-lifecycle.js";
import { trafficRollupsMigration } from "./010-traffic-rollups.js";
import { peerQuotasMigration } from "./011-peer-quotas.js";
import { quotaBaselinesMigration } from "./012-quota-baselines.js";
import { twoFactorMigration } from "./013-two-factor.js";
import { ssoIdentitiesMigration } from "./014-sso-identities.js";
import { auditTrailMigration } from "./015-audit-trail.js";
import { webhooksMigration } from "./016-webhooks.js";
import { shareLinksMigration } from "./017-share-links.js";
import { peerMovesMigration } from "./019-peer-moves.js";
import { driftMigration } from "./020-drift.js";
import { emailMigration } from "./021-email.js";
import { joinAndRotationMigration } from "./022-join-and-rotation.js";
import { alertsMigration } from "./023-alerts.js";
import { apiKeyScopeMigration } from "./024-api-key-scope.js";
import { peerNameLookupIndexMigration } from "./025-peer-name-lookup-index.js";
import { replicasMigration } from "./026-replicas.js";
import { dialOutMigration } from "./027-dial-out.js";
import { moveOwnersMigration } from "./028-move-owners.js";
import { agentRelayMigration } from "./029-agent-relay.js";
import { interfacePeerCountsMigration } from "./030-interface-peer-counts.js";
import { poolAllocationCountsMigration } from "./031-pool-allocation-counts.js";
import { peerLowerNameIndexMigration } from "./032-peer-lower-name-index.js";

export const migrations: Readonly<Record<string, Migration>> = {
  "001_initial": initialMigration,
  "002_traffic_samples": trafficSamplesMigration,
  "003_cascades": cascadesMigration,
  "004_usernames_case_insensitive": usernamesCaseInsensitiveMigration,
  "005_peer_description": peerDescriptionMigration,
  "006_agent_instance_id": agentInstanceIdMigration,
  "007_interface_dns": interfaceDnsMigration,
  "008_peer_lifecycle": peerLifecycleMigration,
  "010_traffic_rollups": trafficRollupsMigration,
  "011_peer_quotas": peerQuotasMigration,
  "012_quota_baselines": quotaBaselinesMigration,
  "013_two_factor": twoFactorMigration,
  "014_sso_identities": ssoIdentitiesMigration,
  "015_audit_trail": auditTrailMigration,
  "016_webhooks": webhooksMigration,
  "017_share_links": shareLinksMigration,
  "019_peer_moves": peerMovesMigration,
  "020_drift": driftMigration,
  "021_email": emailMigration,
  "022_join_and_rotation": joinAndRotationMigration,
  "023_alerts": alertsMigration,
  "024_api_key_scope": apiKeyScopeMigration,
  "025_peer_name_lookup_index": peerNameLookupIndexMigration,
  "026_replicas": replicasMigration,
  "027_dial_out": dialOutMigration,
  "028_move_owners": moveOwnersMigration,
  "029_agent_relay": agentRelayMigration,
  "030_interface_peer_counts": interfacePeerCountsMigration,
  "031_pool_allocation_counts": poolAllocationCountsMigration,
  "032_peer_lower_name_index": peerLowerNameIndexMigration,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};
