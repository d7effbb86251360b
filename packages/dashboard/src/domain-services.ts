// Builds the domain services (configurations, interfaces, peers, stats, nodes) and the node
// transports they share, for the composition root and test fixtures. Routes reach them through
// `context.services`; the start-up work (local node status, remote nodes registered and asked for
// their health, crashed creations settled, each interface's full desired state pushed) is
// `startDomainServices`, run once before the server listens.

import { LOCAL_NODE_ID } from "@wgfleet/core";
import { AdoptionRepository } from "./adoption/adoption.repository.js";
import { AdoptionService } from "./adoption/adoption.service.js";
import { AlertRepository } from "./alerts/alert.repository.js";
import { PoolForecasts } from "./alerts/pool-forecasts.js";
import type { AuditService } from "./audit/index.js";
import { BulkPeerRepository } from "./bulk/bulk.repository.js";
import { BulkPeerActions } from "./bulk/bulk-actions.service.js";
import { BulkPeerCreation } from "./bulk/bulk-creation.js";
import { BulkPeerService } from "./bulk/bulk-peer.service.js";
import { BulkPlacement } from "./bulk/bulk-placement.js";
import { type Clock, systemClock } from "./clock.js";
import { DEFAULT_NODE_SETTINGS, type NodeSettings } from "./config/node-settings.js";
import { DEFAULT_STATS_SETTINGS, type StatsSettings } from "./config/stats-settings.js";
import { CachedConfigurations } from "./configurations/cached-configurations.js";
import { ConfigurationRepository } from "./configurations/configuration.repository.js";
import { ConfigurationService } from "./configurations/configuration.service.js";
import type { Db } from "./db/index.js";
import { AgentConnections } from "./dial-out/agent-connections.js";
import { AgentRelay } from "./dial-out/agent-relay.js";
import { AgentRelayRepository } from "./dial-out/agent-relay.repository.js";
import { DialOutDirectory } from "./dial-out/dial-out-directory.js";
import { DialOutRecorder } from "./dial-out/dial-out-recorder.js";
import { DrainRepository } from "./drain/drain.repository.js";
import { DrainService } from "./drain/drain.service.js";
import { DrainPlanner } from "./drain/drain-planner.js";
import { DrainRunner } from "./drain/drain-runner.js";
import { DriftService } from "./drift/drift.service.js";
import { DriftSightingRepository } from "./drift/drift-sighting.repository.js";
import { DriftPeerNames } from "./drift/peer-names.repository.js";
import { EndpointService } from "./endpoints/endpoint.service.js";
import type { DomainEventPublisher } from "./events/index.js";
import {
  AddressPools,
  AllocationRepository,
  CachedInterfaces,
  DesiredStates,
  InterfaceRepository,
  InterfaceRevisions,
  InterfaceService,
} from "./interfaces/index.js";
import { JobRepository } from "./jobs/job.repository.js";
import { JobService } from "./jobs/job.service.js";
import { JoinTokenRepository } from "./join-tokens/join-token.repository.js";
import { JoinTokenService } from "./join-tokens/join-token.service.js";
import { LifecycleEventsRepository } from "./lifecycle/lifecycle-events.repository.js";
import { PeerLifecycleRepository } from "./lifecycle/peer-lifecycle.repository.js";
import { PeerLifecycleService } from "./lifecycle/peer-lifecycle.service.js";
import { QuotaRepository } from "./lifecycle/quota.repository.js";
import { QuotaJob } from "./lifecycle/quota-job.js";
import { SuspensionRepository } from "./lifecycle/suspension.repository.js";
import { SuspensionSync } from "./lifecycle/suspension-sync.js";
import type { Logger } from "./logging/logger.js";
import type { MetricsRegistry } from "./metrics/registry.js";
import { PeerMoveRepository } from "./moves/peer-move.repository.js";
import { PeerMoveService } from "./moves/peer-move.service.js";
import { RotationRepository } from "./node-secrets/rotation.repository.js";
import { SecretRotationService } from "./node-secrets/secret-rotation.service.js";
import { AgentIdentity } from "./nodes/agent-identity.js";
import { NodeRepository } from "./nodes/node.repository.js";
import { NodeService } from "./nodes/node.service.js";
import { NodeAgentConfirmService } from "./nodes/node-agent-confirm.service.js";
import { NodeHealthMonitor } from "./nodes/node-health.js";
import { NodeReadService } from "./nodes/node-read.service.js";
import { NodeReconcileService } from "./nodes/node-reconcile.service.js";
import { InterfaceSelector } from "./nodes/node-selector.js";
import { NodeSync, type NodeSyncReport } from "./nodes/node-sync.js";
import { NodeTestService } from "./nodes/node-test.service.js";
import { NodeTransports } from "./nodes/node-transports.js";
import { RemoteNodes } from "./nodes/remote-nodes.js";
import { KeyedMutex } from "./peers/keyed-mutex.js";
import { PeerRepository } from "./peers/peer.repository.js";
import { PeerService } from "./peers/peer.service.js";
import { PeerAddressChanges } from "./peers/peer-addresses.js";
import { PeerConfigService } from "./peers/peer-config.js";
import { PeerConfigArchiveService } from "./peers/peer-config-archive.js";
import { PeerCreation } from "./peers/peer-creation.js";
import { PeerQueryService } from "./peers/peer-query.service.js";
import { PlacementService } from "./placement/placement.service.js";
import { createPublicThrottle } from "./rate-limits/throttle-factory.js";
import { type CacheInvalidation, LocalCacheInvalidation } from "./replicas/cache-invalidation.js";
import type { NoticeChannels } from "./replicas/notice-channels.js";
import type { ReplicaPresence } from "./replicas/replica-presence.js";
import type { SecretBox } from "./secrets/index.js";
import type { PublicThrottle } from "./shares/public-throttle.js";
import { ShareLinkRepository } from "./shares/share-link.repository.js";
import { ShareLinkService } from "./shares/share-link.service.js";
import { StatsRepository } from "./stats/stats.repository.js";
import { StatsService } from "./stats/stats.service.js";
import { StatsNodesRepository } from "./stats/stats-nodes.repository.js";
import { TrafficService } from "./stats/traffic.service.js";
import { TrafficHistoryRepository } from "./stats/traffic-history.repository.js";
import { TrafficHistoryService } from "./stats/traffic-history.service.js";
import { TrafficRates } from "./stats/traffic-rates.js";
import { TrafficRollupRepository } from "./stats/traffic-rollup.repository.js";
import { TrafficRollupService } from "./stats/traffic-rollup.service.js";
import { TrafficSamplesRepository } from "./stats/traffic-samples.repository.js";
import { createLocalTransport } from "./transport/local-transport.js";
import type { NodeTransport } from "./transport/node-transport.js";
import { VERSION } from "./version.js";

export interface DomainServiceDeps {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  audit: AuditService;
  metrics?: MetricsRegistry;
  /** Per-peer series besides the per-node ones (`--metrics-per-peer`). */
  perPeerMetrics?: boolean;
  /** `AppConfig.localNode`: when enabled and available, the local transport is built here. */
  localNode: { enabled: boolean; unavailableReason: string | null };
  /**
   * A ready transport for the local node (tests). Otherwise one is built over the system's WireGuard,
   * inside the network namespace $WGFLEET_LOCAL_NETNS names, if any.
   */
  localTransport?: NodeTransport;
  /** The data dir: where the local node keeps its budget counts (in memory when absent). */
  dataDir?: string;
  /** The local node's network namespace (WGFLEET_LOCAL_NETNS, also from the config file). */
  localNetns?: string;
  /** The client endpoint host when neither interface nor node names one; os.hostname() by default. */
  hostname?: () => string;
  /** Remote nodes: health polling, agent timeouts and retries; the defaults when not given. */
  nodeSettings?: NodeSettings;
  /** Live stats polling interval and traffic history retention; the defaults when not given. */
  statsSettings?: StatsSettings;
  /** The time the stats poller, the traffic history and its rollup go by (tests move it); the system's by default. */
  clock?: Clock;
  /** The dashboard's release (node `/test` compares it with the agent's); the package's by default. */
  version?: string;
  /** Where peers, lifecycle rules and the health poller publish their domain events. */
  events?: DomainEventPublisher;
  /** This process as a replica: its id marks the peers it creates; settlement asks it about owners. */
  replica?: ReplicaPresence;
  /** Tells the other replicas which node rows and pools this one changed, and hears theirs. */
  invalidation?: CacheInvalidation;
  /** Channels on the replica's listening connection (PostgreSQL): requests for agents held elsewhere. */
  notices?: NoticeChannels;
}

/** A replica id for a process built without one (tests): the dial-out columns still name a holder. */
const UNREGISTERED_REPLICA = "this-process";

export interface DomainServices {
  endpoints: EndpointService;
  nodeTransports: NodeTransports;
  configurations: ConfigurationService;
  interfaces: InterfaceService;
  peers: PeerService;
  peerConfigs: PeerConfigService;
  peerConfigArchives: PeerConfigArchiveService;
  peerQueries: PeerQueryService;
  peerLifecycle: PeerLifecycleService;
  placement: PlacementService;
  nodes: NodeReadService;
  nodeAdmin: NodeService;
  nodeTests: NodeTestService;
  nodeReconcile: NodeReconcileService;
  nodeSync: NodeSync;
  nodeHealth: NodeHealthMonitor;
  nodeAgents: NodeAgentConfirmService;
  remoteNodes: RemoteNodes;
  /** The sockets of agents that dial out, held by this process (served by dial-out/agent-connect.ts). */
  agentConnections: AgentConnections;
  /** Calls to dial-out nodes whose socket another replica holds (PostgreSQL only; null on SQLite). */
  agentRelay: AgentRelay | null;
  /** Which node an agent that dials in is, by its key id. */
  dialOutNodes: DialOutDirectory;
  /** Rotating a node's shared secret (issue 15). */
  secretRotation: SecretRotationService;
  /** One-time join tokens and the public join (issue 15). */
  joinTokens: JoinTokenService;
  stats: StatsService;
  traffic: TrafficService;
  trafficRollup: TrafficRollupService;
  shares: ShareLinkService;
  /** The public pages' and the join's rate limits (shared through the database on PostgreSQL). */
  shareRateLimiter: PublicThrottle;
  drift: DriftService;
  adoption: AdoptionService;
  /** Moving a peer to another node (`movePeer`), grace copies and their expiry. */
  peerMoves: PeerMoveService;
  drains: DrainService;
  drainRunner: DrainRunner;
  jobs: JobService;
  /** Many peers of a configuration at once: `<prefix>-001…`, CSV export and import. */
  bulkPeers: BulkPeerService;
  /** One action (enable, disable, delete, move) on many peers. */
  bulkActions: BulkPeerActions;
}

declare module "./http/context.js" {
  interface AppServices extends DomainServices {}
}

export function createDomainServices(deps: DomainServiceDeps): DomainServices {
  const { db, secrets, logger, audit } = deps;
  // Without replicas (tests), a process's writers still drop its own read caches.
  const invalidation = deps.invalidation ?? new LocalCacheInvalidation();
  const nodeTransports = new NodeTransports();
  if (!deps.localNode.enabled)
    nodeTransports.setLocal(null, deps.localNode.unavailableReason ?? "local node disabled");
  else if (deps.localNode.unavailableReason) nodeTransports.setLocal(null, deps.localNode.unavailableReason);
  else
    nodeTransports.setLocal(
      deps.localTransport ??
        createLocalTransport({
          logger,
          ...(deps.dataDir ? { dataDir: deps.dataDir } : {}),
          ...(deps.localNetns ? { netns: deps.localNetns } : {}),
        }),
      null,
    );

  const settings = deps.nodeSettings ?? DEFAULT_NODE_SETTINGS;
  const nodes = new NodeRepository(db);
  const configurationRepository = new ConfigurationRepository(db);
  const interfaceRepository = new InterfaceRepository(db);
  const peerRepository = new PeerRepository(db, deps.replica?.id ?? null);
  const allocations = new AllocationRepository(db);
  const trafficSamples = new TrafficSamplesRepository(db);
  const statsNodes = new StatsNodesRepository(db);
  const pools = new AddressPools(db, allocations, invalidation);
  const revisions = new InterfaceRevisions(db, interfaceRepository);
  const agentConnections = new AgentConnections();
  // Several replicas: a node whose agent is connected to another replica is called through that one.
  const agentRelay = deps.notices
    ? new AgentRelay({
        rows: new AgentRelayRepository(db),
        notices: deps.notices,
        sockets: agentConnections,
        replicaId: deps.replica?.id ?? UNREGISTERED_REPLICA,
        logger,
      })
    : null;
  if (agentRelay) agentConnections.relayThrough(agentRelay);
  const remoteNodes = new RemoteNodes({
    nodes,
    transports: nodeTransports,
    secrets,
    settings,
    logger,
    dialOut: agentConnections,
    invalidation,
  });
  // The per-process caches of rows another replica can change: node transports and pool allocators.
  invalidation.subscribe("node", remoteNodes);
  invalidation.subscribe("pool", pools);
  // What every peer creation reads and rarely changes: copies dropped by the writers' notices.
  const cachedConfigurations = new CachedConfigurations(configurationRepository, invalidation);
  const cachedInterfaces = new CachedInterfaces(interfaceRepository, invalidation);
  const ensureTransports = (ids: Iterable<string>) => remoteNodes.ensure(ids);
  const transports = nodeTransports;
  const desiredStates = new DesiredStates({
    interfaces: interfaceRepository,
    secrets,
    transports,
    ensureTransports,
    driftPolicy: async (nodeId) => (await nodes.findById(nodeId))?.drift_policy ?? "repair",
  });
  const interfaces = new InterfaceService({
    interfaces: interfaceRepository,
    desiredStates,
    revisions,
    secrets,
    transports,
    pools,
    nodes,
    configurations: configurationRepository,
    audit,
    ensureTransports,
    invalidation,
    ...(deps.hostname ? { hostname: deps.hostname } : {}),
  });
  const quotas = new QuotaRepository(db);
  const bulkRepository = new BulkPeerRepository(db);
  const lifecycleEvents = new LifecycleEventsRepository(db);
  const peerState = { peers: peerRepository, allocations, revisions, pools, transports, secrets };
  // One selector for creation and for the placement answer: what the answer says is what creation does.
  const selector = new InterfaceSelector({ nodes, transports, pools });
  // One change of a peer at a time (edits, deletion, moves); `auto` choices of a configuration one at
  // a time (creations and moves).
  const peerLocks = new KeyedMutex();
  const placementLocks = new KeyedMutex();
  // Bound below, once the move service (which needs PeerService) exists.
  let peerMoves: PeerMoveService | null = null;
  const peers = new PeerService({
    ...peerState,
    peerLocks,
    graces: { endGracesOf: async (peerId) => peerMoves?.endGracesOf(peerId) },
    interfaces: {
      findById: (id) => interfaceRepository.findById(id),
      publicKeyInUse: (key) => interfaceRepository.publicKeyInUse(key),
      listByConfiguration: (id) => cachedInterfaces.listByConfiguration(id),
    },
    configurations: cachedConfigurations,
    audit,
    ensureTransports,
    quotas,
    ...(deps.events ? { events: deps.events } : {}),
    creation: new PeerCreation({
      ...peerState,
      quotas,
      placement: selector,
      names: bulkRepository,
      placementLocks,
      audit,
      logger,
      ...(deps.events ? { events: deps.events } : {}),
    }),
    addresses: new PeerAddressChanges(peerState),
  });
  const nodeSync = new NodeSync({
    interfaces: interfaceRepository,
    peers: peerRepository,
    allocations,
    revisions,
    transports,
    interfaceService: interfaces,
    pools,
    logger,
    ...(deps.replica ? { owners: deps.replica } : {}),
  });
  const suspensions = new SuspensionSync({
    ...(deps.events ? { events: deps.events } : {}),
    repository: new SuspensionRepository(db),
    interfaces: interfaceRepository,
  });
  const nodeHealth = new NodeHealthMonitor({
    ...(deps.events ? { events: deps.events } : {}),
    nodes,
    remote: remoteNodes,
    interfaces: interfaceRepository,
    interfaceService: interfaces,
    nodeSync,
    identity: new AgentIdentity({ nodes, remote: remoteNodes }),
    suspensions,
    drift: { observe: (nodeId, health) => drift.observe(nodeId, health) },
    settings,
    logger,
  });
  agentConnections.onChange(
    new DialOutRecorder({
      nodes,
      health: nodeHealth,
      sync: nodeSync,
      replica: deps.replica?.id ?? UNREGISTERED_REPLICA,
      logger,
    }),
  );
  const statsSettings = deps.statsSettings ?? DEFAULT_STATS_SETTINGS;
  const trafficRates = new TrafficRates();
  const now = () => (deps.clock ?? systemClock).now();
  const nodeReader = new NodeReadService({
    nodes,
    interfaces: interfaceRepository,
    configurations: configurationRepository,
    pools,
    transports: nodeTransports,
    forecasts: new PoolForecasts(new AlertRepository(db), deps.clock ?? systemClock),
    ...(deps.hostname ? { hostname: deps.hostname } : {}),
  });
  const peerConfigs = new PeerConfigService({ peers, interfaceService: interfaces, secrets });
  const drift = new DriftService({
    nodes,
    remote: remoteNodes,
    transports: nodeTransports,
    interfaces: interfaceRepository,
    configurations: configurationRepository,
    sightings: new DriftSightingRepository(db),
    peerNames: new DriftPeerNames(db),
    peers,
    desiredState: interfaces,
    audit,
    logger,
  });
  peerMoves = new PeerMoveService({
    db,
    moves: new PeerMoveRepository(db, deps.replica?.id ?? null),
    peers: peerRepository,
    peerService: peers,
    interfaces: interfaceRepository,
    allocations,
    pools,
    revisions,
    transports,
    secrets,
    placement: selector,
    configs: peerConfigs,
    audit,
    peerLocks,
    placementLocks,
    pushFullState: (iface) => interfaces.pushFullState(iface),
    ensureTransports,
    logger,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.replica ? { owners: deps.replica } : {}),
  });
  const moves = peerMoves;
  const jobRepository = new JobRepository(db);
  const drainRepository = new DrainRepository(db);
  const drainRunner = new DrainRunner({
    jobs: jobRepository,
    nodeOfPeer: async (peerId) => {
      const peer = await peerRepository.findById(peerId);
      const iface = peer && (await interfaceRepository.findById(peer.interface_id));
      return iface ? iface.node_id : null;
    },
    movePeer: (peerId, node, graceHours, actor) => moves.movePeer(peerId, node, graceHours, actor),
    logger,
  });
  const bulkPeers = new BulkPeerService({
    configurations: configurationRepository,
    interfaces: interfaceRepository,
    peers: peerRepository,
    bulk: bulkRepository,
    audit,
    ensureTransports,
    creation: new BulkPeerCreation({
      ...peerState,
      bulk: bulkRepository,
      quotas,
      placement: new BulkPlacement({ selector, pools }),
      placementLocks,
      logger,
      ...(deps.events ? { events: deps.events } : {}),
    }),
  });
  const bulkActions = new BulkPeerActions({
    ...peerState,
    bulk: bulkRepository,
    interfaces: interfaceRepository,
    configurations: configurationRepository,
    audit,
    peerLocks,
    graces: moves,
    movePeers: (peerIds, node, graceHours, actor) => moves.movePeers(peerIds, node, graceHours, actor),
    ensureTransports,
    ...(deps.events ? { events: deps.events } : {}),
  });
  const nodeAdmin = new NodeService({
    nodes,
    secrets,
    interfaces: interfaceRepository,
    pools,
    remote: remoteNodes,
    health: nodeHealth,
    reader: nodeReader,
    audit,
    logger,
    invalidation,
    driftPolicy: { changed: (row) => drift.policyChanged(row) },
  });
  const shareRateLimiter = createPublicThrottle(db);
  return {
    bulkPeers,
    bulkActions,
    drift,
    adoption: new AdoptionService({
      nodes,
      remote: remoteNodes,
      transports: nodeTransports,
      configurations: configurationRepository,
      interfaces: interfaceRepository,
      interfaceRules: interfaces,
      desiredStates,
      pools,
      rows: new AdoptionRepository(db),
      secrets,
      audit,
      invalidation,
    }),
    peerMoves: moves,
    jobs: new JobService(jobRepository),
    drainRunner,
    drains: new DrainService({
      db,
      drains: drainRepository,
      nodes,
      planner: new DrainPlanner({
        drains: drainRepository,
        interfaces: interfaceRepository,
        configurations: configurationRepository,
        selector,
        pools,
        ensureTransports,
      }),
      jobs: jobRepository,
      audit,
      run: (jobId) => drainRunner.enqueue(jobId),
    }),
    endpoints: new EndpointService(deps.hostname ? { hostname: deps.hostname } : {}),
    nodeTransports,
    configurations: new ConfigurationService({
      configurations: configurationRepository,
      interfaces,
      audit,
      invalidation,
      logger,
    }),
    interfaces,
    peers,
    peerConfigs,
    shares: new ShareLinkService({
      links: new ShareLinkRepository(db),
      peers,
      configs: peerConfigs,
      ...(deps.clock ? { clock: deps.clock } : {}),
    }),
    shareRateLimiter,
    peerConfigArchives: new PeerConfigArchiveService({
      peers: peerRepository,
      configurations: configurationRepository,
      configs: peerConfigs,
    }),
    peerQueries: new PeerQueryService({
      peers: peerRepository,
      interfaces: interfaceRepository,
      configurations: configurationRepository,
    }),
    peerLifecycle: new PeerLifecycleService({
      peers: new PeerLifecycleRepository(db),
      events: lifecycleEvents,
      quotas,
      retentionDays: statsSettings.lifecycleRetentionDays,
      now,
    }),
    placement: new PlacementService({
      configurations: configurationRepository,
      interfaces: interfaceRepository,
      selector,
      ensureTransports,
    }),
    nodes: nodeReader,
    nodeAdmin,
    nodeTests: new NodeTestService({
      nodes,
      secrets,
      transports: nodeTransports,
      settings,
      version: deps.version ?? VERSION,
      dialOut: agentConnections,
    }),
    nodeAgents: new NodeAgentConfirmService({
      nodes,
      remote: remoteNodes,
      nodeSync,
      health: nodeHealth,
      reader: nodeReader,
      audit,
    }),
    nodeReconcile: new NodeReconcileService({
      nodes,
      remote: remoteNodes,
      transports: nodeTransports,
      interfaces: interfaceRepository,
      desiredState: interfaces,
      health: nodeHealth,
      reader: nodeReader,
      audit,
    }),
    nodeSync,
    nodeHealth,
    remoteNodes,
    agentConnections,
    agentRelay,
    dialOutNodes: new DialOutDirectory(nodes, secrets),
    joinTokens: new JoinTokenService({
      tokens: new JoinTokenRepository(db),
      nodes: nodeAdmin,
      limiter: shareRateLimiter,
      audit,
    }),
    secretRotation: new SecretRotationService({
      rotations: new RotationRepository(db),
      nodes,
      remote: remoteNodes,
      secrets,
      audit,
      logger,
    }),
    stats: new StatsService({
      interfaces: interfaceRepository,
      stats: new StatsRepository(db),
      nodes: statsNodes,
      transports: nodeTransports,
      logger,
      settings: statsSettings,
      rates: trafficRates,
      suspensions,
      quotas: new QuotaJob({
        quotas,
        events: lifecycleEvents,
        peers,
        logger,
        now,
        ...(deps.events ? { domainEvents: deps.events } : {}),
      }),
      now,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      ...(deps.perPeerMetrics ? { perPeerMetrics: true } : {}),
    }),
    traffic: new TrafficService({
      samples: trafficSamples,
      nodes: statsNodes,
      rates: trafficRates,
      settings: statsSettings,
      now,
      history: new TrafficHistoryService({
        history: new TrafficHistoryRepository(db),
        settings: statsSettings,
        now,
      }),
    }),
    trafficRollup: new TrafficRollupService({
      rollups: new TrafficRollupRepository(db),
      logger,
      settings: statsSettings,
      now,
    }),
  };
}

/**
 * Once at start, before the server listens: the local node's row and status, then the local node
 * brought in line with the database (crashed creations settled, full desired state pushed), then every
 * remote node registered, asked for its health and — when it answers — brought in line the same way.
 */
export async function startDomainServices(services: DomainServices): Promise<NodeSyncReport> {
  await services.nodes.registerLocalNode();
  // Moves a crash cut off before their switch are undone first: the pushes below then carry no trace.
  await services.peerMoves.recoverPending();
  const local = await services.nodeSync.syncNode(LOCAL_NODE_ID);
  await services.nodeHealth.startUp();
  return local;
}
