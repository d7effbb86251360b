// Builds the AppContext every route and job uses: the one place services are constructed and wired
// (the composition root, src/server.ts, and test fixtures both call it). Shared index: each domain
// area adds its constructor lines at the marked spot, and its pollers in startBackgroundJobs.
import { createAlertServices } from "./alerts/alert-services.js";
import { ApiKeyRepository } from "./apikeys/apikey.repository.js";
import { ApiKeyService } from "./apikeys/apikey.service.js";
import { AuditRepository } from "./audit/audit.repository.js";
import { AuditService } from "./audit/audit.service.js";
import { Authenticator } from "./auth/authenticator.js";
import { LoginService } from "./auth/login.service.js";
import { DEFAULT_LOGIN_RATE_LIMIT, type LoginRateLimitSettings } from "./auth/login-rate-limiter.js";
import { PasswordHasher } from "./auth/password.js";
import { SessionRepository } from "./auth/session.repository.js";
import { SessionService } from "./auth/session.service.js";
import { type Clock, systemClock } from "./clock.js";
import { DEFAULT_NODE_SETTINGS, type NodeSettings } from "./config/node-settings.js";
import type { StatsSettings } from "./config/stats-settings.js";
import { type Db, outsideCommitsOf } from "./db/index.js";
import { createDomainServices } from "./domain-services.js";
import { createEmailServices } from "./email/email-services.js";
import { DomainEventBus } from "./events/index.js";
import type { AppConfig, AppContext, AppServices } from "./http/context.js";
import type { Logger } from "./logging/logger.js";
import { MetricsRegistry } from "./metrics/registry.js";
import { createLoginThrottle } from "./rate-limits/throttle-factory.js";
import { type CacheInvalidation, LocalCacheInvalidation } from "./replicas/cache-invalidation.js";
import { PostgresCacheInvalidation } from "./replicas/postgres-cache-invalidation.js";
import { ReplicaRepository } from "./replicas/replica.repository.js";
import { ReplicaPresence } from "./replicas/replica-presence.js";
import type { SecretBox } from "./secrets/secret-box.js";
import { createSingleSignOn } from "./sso/index.js";
import { type BackgroundJob, startIntervalJob } from "./startup/background-job.js";
import type { NodeTransport } from "./transport/node-transport.js";
import { TwoFactorRepository } from "./twofactor/two-factor.repository.js";
import { TwoFactorService } from "./twofactor/two-factor.service.js";
import { InitialPasswordFile } from "./users/initial-password-file.js";
import { UserRepository } from "./users/user.repository.js";
import { UserService } from "./users/user.service.js";
import { createWebhookServices, type WebhookDeliveryOptions } from "./webhooks/webhook-services.js";

export interface ContextOptions {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  config: AppConfig;
  /** The data directory (SQLite file, secret key); also where local state lives. */
  dataDir: string;
  metrics?: MetricsRegistry;
  /** Per-peer series in the metrics (`--metrics-per-peer`); per node only when absent. */
  metricsPerPeer?: boolean;
  clock?: Clock;
  loginRateLimit?: LoginRateLimitSettings;
  /** A ready local node transport (tests); otherwise built over this host's WireGuard when available. */
  localTransport?: NodeTransport;
  /** The local node's network namespace (Settings.localNetns); else $WGFLEET_LOCAL_NETNS. */
  localNetns?: string | null;
  /** Remote nodes: health polling, agent timeouts (Settings.nodes); the defaults when not given. */
  nodes?: NodeSettings;
  /** Live stats polling and traffic history retention; the defaults when not given. */
  stats?: StatsSettings;
  /** Webhook delivery settings (concurrency, timeout, polling); the defaults when not given. */
  webhookDelivery?: WebhookDeliveryOptions;
  /** PostgreSQL's URL when replicas may share the database: caches hear of their changes through it. */
  databaseUrl?: string | null;
  /**
   * PostgreSQL's URL for an admin command (not a replica): its changes are announced to the serving
   * replicas' caches and nothing is listened to. Stop `cacheInvalidation` before closing the database.
   */
  announceTo?: string | null;
}

export async function createAppContext(options: ContextOptions): Promise<AppContext> {
  const { db, secrets, logger, config } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? new MetricsRegistry();
  const audit = new AuditService(new AuditRepository(db), options.stats?.auditRetentionDays);
  // This process as one of possibly several replicas on the database (registered by the server).
  const replica = new ReplicaPresence(new ReplicaRepository(db));
  // Started by the server (tests without one keep the caches of their single process to themselves).
  // Its listening connection also carries the relay of requests for agents that dial out.
  const postgresNotices = options.databaseUrl
    ? new PostgresCacheInvalidation({ url: options.databaseUrl, db, logger, replicaId: replica.id })
    : null;
  const cacheInvalidation: CacheInvalidation =
    postgresNotices ??
    (options.announceTo
      ? new PostgresCacheInvalidation({ url: options.announceTo, db, logger, replicaId: replica.id })
      : new LocalCacheInvalidation(outsideCommitsOf(db)));
  const sessions = new SessionService(new SessionRepository(db), config.session, clock);
  const users = new UserService({
    users: new UserRepository(db),
    audit,
    sessions,
    hasher: new PasswordHasher(),
    initialPassword: InitialPasswordFile.in(options.dataDir),
    invalidation: cacheInvalidation,
  });
  const apiKeys = new ApiKeyService(new ApiKeyRepository(db), audit, cacheInvalidation, clock);
  // Domain events: published by peers, lifecycle rules and the health poller, heard by webhooks.
  const events = new DomainEventBus(logger, clock);
  // Counted in the database on PostgreSQL (replicas count together), in memory on SQLite.
  const limiter = createLoginThrottle(db, options.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT, clock);
  const twoFactor = new TwoFactorService({
    repository: new TwoFactorRepository(db),
    secrets,
    passwords: users,
    sessions,
    clock,
  });
  const webhooks = createWebhookServices({
    db,
    secrets,
    logger,
    clock,
    events,
    invalidation: cacheInvalidation,
    ...(options.webhookDelivery ? { delivery: options.webhookDelivery } : {}),
  });
  // ---- domain services (configurations, interfaces, peers, stats, nodes) ----
  const domain = createDomainServices({
    replica,
    invalidation: cacheInvalidation,
    ...(postgresNotices ? { notices: postgresNotices } : {}),
    db,
    secrets,
    logger,
    audit,
    metrics,
    ...(options.metricsPerPeer ? { perPeerMetrics: true } : {}),
    localNode: config.localNode,
    dataDir: options.dataDir,
    ...(options.localNetns ? { localNetns: options.localNetns } : {}),
    version: config.version,
    clock,
    events,
    ...(options.localTransport ? { localTransport: options.localTransport } : {}),
    ...(options.nodes ? { nodeSettings: options.nodes } : {}),
    ...(options.stats ? { statsSettings: options.stats } : {}),
  });
  const services: AppServices = {
    replica,
    cacheInvalidation,
    audit,
    users,
    apiKeys,
    sessions,
    login: new LoginService(users, sessions, twoFactor, limiter, audit),
    twoFactor,
    authenticator: new Authenticator(sessions, apiKeys),
    sso: config.signIn?.oidc
      ? createSingleSignOn({ settings: config.signIn.oidc, db, users, sessions, audit, clock })
      : null,
    events,
    ...webhooks,
    // Alerts: the engine hears drift repairs on the bus; its tick starts with the background jobs.
    ...createAlertServices({
      db,
      audit,
      logger,
      clock,
      events,
      metrics,
      intervalMs: (options.nodes ?? DEFAULT_NODE_SETTINGS).healthIntervalMs,
    }),
    ...domain,
    // E-mail uses the peers and share links the domain services made.
    ...createEmailServices({ db, secrets, logger, clock, audit, peers: domain.peers, shares: domain.shares }),
  };
  return { db, secrets, logger, config, metrics, services };
}

const SESSION_PURGE_INTERVAL_MS = 10 * 60 * 1000;
/** The history of what lifecycle rules did is pruned hourly (its retention counts in days). */
const LIFECYCLE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** The audit trail likewise. */
const AUDIT_PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** How often a secret rotation left half way is tried again. */
const SECRET_ROTATION_RESUME_MS = 60_000;
/** How often expired grace copies of moved peers are looked for: a grace ends at most this late. */
const MOVE_GRACE_TICK_MS = 5_000;

/** Everything that runs on a timer; the composition root stops them all at shutdown. */
export function startBackgroundJobs(context: AppContext): BackgroundJob[] {
  const jobs: BackgroundJob[] = [
    startIntervalJob(
      "session-purge",
      SESSION_PURGE_INTERVAL_MS,
      () => context.services.sessions.purgeStale(),
      context.logger,
    ),
  ];
  // ---- domain pollers (peer stats, node health) ----
  jobs.push(context.services.stats.startPoller());
  // Rolls minutes into hours and days, then prunes every traffic history table (traffic_samples too).
  jobs.push(context.services.trafficRollup.startJob());
  jobs.push(
    startIntervalJob(
      "lifecycle-history-prune",
      LIFECYCLE_PRUNE_INTERVAL_MS,
      () => context.services.peerLifecycle.pruneHistory(),
      context.logger,
    ),
  );
  jobs.push(
    startIntervalJob(
      "audit-prune",
      AUDIT_PRUNE_INTERVAL_MS,
      () => context.services.audit.prune(),
      context.logger,
    ),
  );
  jobs.push(context.services.nodeHealth.startPoller());
  // Moved peers' old copies leave their source when their grace ends; drains a restart cut off resume.
  jobs.push(
    startIntervalJob(
      "move-grace-expiry",
      MOVE_GRACE_TICK_MS,
      () => context.services.peerMoves.expireDue(),
      context.logger,
    ),
  );
  jobs.push(context.services.drainRunner.start());
  // Secret rotations a restart cut off (or whose agent did not answer) are finished.
  void context.services.secretRotation.resumePending();
  jobs.push(
    startIntervalJob(
      "secret-rotation-resume",
      SECRET_ROTATION_RESUME_MS,
      () => context.services.secretRotation.resumePending(),
      context.logger,
    ),
  );
  jobs.push(context.services.webhookDeliveries.start());
  jobs.push(context.services.emailWarnings.start(context.logger));
  jobs.push(context.services.startAlertJob());
  // Relay rows of replicas that stopped mid-call (several replicas only).
  if (context.services.agentRelay) jobs.push(context.services.agentRelay.startCleanup(context.logger));
  return jobs;
}
