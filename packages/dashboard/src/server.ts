// The composition root of `wgfleet serve`: open and migrate the database, open the secret box, probe
// the local node (unavailable with a reason when this host cannot run WireGuard — never a crash),
// build the services, create the first admin, sync the local node, build the app, listen (and the
// metrics listener when asked), start the background jobs; and take it all down again in reverse
// order. Several processes may share one PostgreSQL database (replicas): each registers and
// heartbeats, and only the elected leader runs the background jobs; on SQLite a second process on the
// same data dir is refused. A generated admin password goes to a 0600 file in the data dir; the banner names the file,
// never the password.
import type { Settings } from "./config/settings.js";
import { serveAgentConnect } from "./dial-out/agent-connect.js";
import { startDomainServices } from "./domain-services.js";
import { buildApp } from "./http/app.js";
import type { AppContext } from "./http/context.js";
import type { TypedApp } from "./http/types.js";
import { createLogger, type Logger } from "./logging/logger.js";
import { type MetricsListener, startMetricsListener } from "./metrics/metrics-listener.js";
import { MetricsRegistry } from "./metrics/registry.js";
import { type LeaderElection, SoleLeader } from "./replicas/leader-election.js";
import { runWhileLeader } from "./replicas/leader-jobs.js";
import { PostgresLeaderElection } from "./replicas/postgres-leader-election.js";
import { acquireServeLock, type ServeLock } from "./replicas/sqlite-serve-lock.js";
import { createAppContext, startBackgroundJobs } from "./services.js";
import type { BackgroundJob } from "./startup/background-job.js";
import { openStore } from "./startup/database.js";
import { type InitialAdminNotice, prepareInitialAdmin } from "./startup/initial-admin.js";
import { probeLocalNode } from "./startup/local-node.js";
import { assertSignInPossible } from "./startup/sign-in-check.js";
import { InitialPasswordFile } from "./users/initial-password-file.js";
import { VERSION } from "./version.js";

/** The package version (its owner is version.ts; re-exported for existing importers). */
export { VERSION };

export interface ServerOptions {
  logger?: Logger;
  /** Where the start banner goes (login URL, first admin password); stderr when not given. */
  print?: (line: string) => void;
}

export interface RunningServer {
  app: TypedApp;
  context: AppContext;
  /** "http://127.0.0.1:10086" */
  url: string;
  /** The --metrics-listen listener's URL, or null. */
  metricsUrl: string | null;
  /** Stops jobs, closes the listener and the database. Safe to call twice. */
  close(): Promise<void>;
}

export async function startServer(settings: Settings, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ format: settings.logFormat, level: settings.logLevel });
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { db, secrets } = await openStore(settings, logger);
  let app: TypedApp | null = null;
  const jobs: BackgroundJob[] = [];
  let metricsListener: MetricsListener | null = null;
  let serveLock: ServeLock | null = null;
  try {
    // SQLite: one process per data dir (replicas need PostgreSQL).
    if (!settings.databaseUrl) serveLock = acquireServeLock(settings.dataDir);
    const localNode = await probeLocalNode(settings.local, logger);
    const context = await createAppContext({
      db,
      secrets,
      logger,
      dataDir: settings.dataDir,
      localNetns: settings.localNetns,
      metrics: MetricsRegistry.forProcess({ version: VERSION }),
      metricsPerPeer: settings.metricsPerPeer,
      databaseUrl: settings.databaseUrl,
      nodes: settings.nodes,
      stats: settings.stats,
      config: {
        cookieSecure: settings.cookieSecure,
        trustProxy: settings.trustProxy,
        publicUrl: settings.publicUrl,
        metricsToken: settings.metricsToken,
        session: settings.session,
        localNode,
        version: VERSION,
        signIn: settings.signIn,
        wgdashboard: settings.wgdashboard,
      },
    });
    await assertSignInPossible(settings.signIn, context.services.sso);
    const firstAdmin = await prepareInitialAdmin(
      context.services.users,
      settings.admin,
      InitialPasswordFile.in(settings.dataDir),
      logger,
    );
    await context.services.users.prepareLoginTiming();
    // Registered before any creation: a replica starting meanwhile must see this one's peers as live.
    await context.services.replica.register();
    jobs.push(context.services.replica.startHeartbeat(logger));
    // Listening before the caches first fill: a change made meanwhile by another replica is heard.
    await context.services.cacheInvalidation.start();
    jobs.push({ name: "cache-invalidation", stop: () => context.services.cacheInvalidation.stop() });
    await context.services.dialOutNodes.forgetGoneReplicas();
    // The local node's row and status, remote nodes asked for their health, crashed creations
    // settled, desired state pushed to every node that answers.
    const sync = await startDomainServices(context.services);
    logger.info({ sync }, "local node synchronised");
    logger.info(
      { healthIntervalMs: settings.nodes.healthIntervalMs, agentTimeoutMs: settings.nodes.agentTimeoutMs },
      "remote nodes registered",
    );
    app = await buildApp(context);
    // Agents that dial out connect on the same listener (GET /api/v1/agent-connect, a WebSocket).
    const stopAgentConnect = serveAgentConnect(app.server, {
      connections: context.services.agentConnections,
      nodes: context.services.dialOutNodes,
      logger,
    });
    jobs.push({ name: "agent-connect", stop: async () => stopAgentConnect() });
    await app.listen({ host: settings.listen.host, port: settings.listen.port });
    if (settings.metricsListen) {
      metricsListener = await startMetricsListener(context.metrics, settings.metricsListen);
      logger.info({ url: `${metricsListener.url}/metrics` }, "metrics listening");
    }
    jobs.push(runWhileLeader(electionFor(settings, context), () => startBackgroundJobs(context), logger));
    const url = urlOf(app);
    logger.info(
      { url, dataDir: settings.dataDir, database: settings.databaseUrl ? "postgres" : "sqlite" },
      "listening",
    );
    printBanner(print, url, firstAdmin);
    const metricsUrl = metricsListener?.url ?? null;
    const stopMetrics = metricsListener;
    return {
      app,
      context,
      url,
      metricsUrl,
      close: once(async () => {
        await stopMetrics?.close();
        await shutdown(app, jobs, context, logger);
        serveLock?.release();
      }),
    };
  } catch (error) {
    await Promise.allSettled(jobs.map((job) => job.stop()));
    await metricsListener?.close().catch(() => {});
    await app?.close().catch(() => {});
    await db.destroy().catch(() => {});
    serveLock?.release();
    throw error;
  }
}

/** PostgreSQL: an advisory lock elects one leader among the replicas; SQLite: this process leads. */
function electionFor(settings: Settings, context: AppContext): LeaderElection {
  if (!settings.databaseUrl) return new SoleLeader();
  return new PostgresLeaderElection({
    url: settings.databaseUrl,
    intervalMs: settings.nodes.healthIntervalMs,
    logger: context.logger,
    replicaId: context.services.replica.id,
  });
}

async function shutdown(app: TypedApp | null, jobs: BackgroundJob[], context: AppContext, logger: Logger) {
  logger.info("shutting down");
  await Promise.allSettled(jobs.map((job) => job.stop()));
  await app?.close();
  await context.db.destroy();
  logger.info("stopped");
  logger.flush?.();
}

function urlOf(app: TypedApp): string {
  const address = app.server.address();
  if (address === null || typeof address === "string") return String(address);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function printBanner(
  print: (line: string) => void,
  url: string,
  firstAdmin: InitialAdminNotice | null,
): void {
  const lines = [`wgfleet is running at ${url}/ (log in there; API: POST ${url}/api/v1/session)`];
  if (firstAdmin?.passwordFile) {
    lines.push(
      firstAdmin.created
        ? `First start: created the admin user "${firstAdmin.username}".`
        : `The admin user "${firstAdmin.username}" still has the generated password.`,
      `Its password is in ${firstAdmin.passwordFile} (readable by this user only).`,
      "Log in and choose your own password: nothing else works until then, and the file is deleted.",
    );
  } else if (firstAdmin) {
    lines.push(
      `First start: created the admin user "${firstAdmin.username}" from WGFLEET_ADMIN_USER/PASSWORD.`,
    );
  }
  const width = Math.max(...lines.map((line) => line.length));
  print("=".repeat(width));
  for (const line of lines) print(line);
  print("=".repeat(width));
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | null = null;
  return () => {
    result ??= fn();
    return result;
  };
}
