// Assembles a running agent from resolved options: secrets, state store, driver and controller,
// the service, the HTTP(S) server (unless it only dials out), the dashboard link (if it dials out) and
// the drift loop. Re-applies the persisted state before it listens or dials.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  CapabilityMonitor,
  FileBudgetLedger,
  InterfaceController,
  SystemWireGuardDriver,
} from "@wgfleet/wireguard";
import { type AgentOptions, UsageError } from "./config/options.js";
import { SecretRotation } from "./config/secret-rotation.js";
import { loadSecrets, loadToken } from "./config/secrets.js";
import { DashboardLink } from "./dial-out/dashboard-link.js";
import { Authenticator } from "./http/auth.js";
import { agentRoutes } from "./http/routes.js";
import { createAgentServer, dispatchContext } from "./http/server.js";
import { loadOrCreateInstanceId } from "./identity/instance-id.js";
import type { AgentLogger, RedactingLogger } from "./logging/logger.js";
import { AgentService } from "./service/agent-service.js";
import { DriftLoop } from "./service/drift-loop.js";
import { StateStore } from "./state/state-store.js";

export interface RunningAgent {
  /** The HTTP(S) listener and its address; null for an agent that only dials out (no --listen). */
  server: Server | null;
  address: AddressInfo | null;
  service: AgentService;
  /** The connection to the dashboard of an agent that dials out (--dashboard), or null. */
  dashboardLink: DashboardLink | null;
  /** Re-reads the secret files (SIGHUP). */
  reloadSecrets(): Promise<void>;
  /** Stops listening and checking; leaves every interface up. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Build the dashboard link but do not dial yet (join: the node does not exist until it registers). */
  dialLater?: boolean;
}

export type StartAgent = typeof startAgent;

/** The file in the state dir that keeps the traffic counted against each budget id. */
export const BUDGET_LEDGER_FILE = "budgets.ledger";

export function agentVersion(): string {
  const text = readFileSync(new URL("../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

export async function startAgent(
  options: AgentOptions,
  log: RedactingLogger,
  how: StartOptions = {},
): Promise<RunningAgent> {
  const { logger } = log;
  const readSecrets = async () => {
    const secrets = await loadSecrets(options.secretFile, options.previousSecretFile);
    const token = options.metricsTokenFile ? await loadToken(options.metricsTokenFile) : null;
    log.setSecrets([...secrets.values(), ...(token ? [token] : [])]);
    return { secrets, token };
  };
  const { secrets, token } = await readSecrets();
  const tls = options.tlsCert && options.tlsKey ? await readTls(options.tlsCert, options.tlsKey) : null;
  const auth = new Authenticator(secrets, token);
  // The upgrade of a dial-out link is signed with the current secret: the first line of the file.
  let current = firstSecret(secrets);

  const driver = new SystemWireGuardDriver({
    ...(options.netns ? { netns: options.netns } : {}),
    ...(options.wgDir ? { runDir: options.wgDir } : {}),
    allowHooks: options.allowHooks,
    logger,
  });
  const capability = new CapabilityMonitor(() => driver.probeCapability());
  // The first probe runs while the agent starts (it is not needed to listen); health waits for it.
  void capability.current().then((first) => {
    if (!first.ok)
      logger.warn({ reason: first.reason }, "WireGuard cannot be managed here; applies will fail");
  });
  // Budget counts live beside the desired state (not "*.json": those are interface snapshots there).
  const ledger = new FileBudgetLedger(join(options.stateDir, BUDGET_LEDGER_FILE));
  const controller = new InterfaceController(driver, { logger, access: { ledger } });
  // A ledger that cannot be read stops the start: budgets must not silently count from 0 again.
  await controller.gate.ready;
  const instanceId = await loadOrCreateInstanceId(options.stateDir);
  const store = await StateStore.open({ dir: options.stateDir, logger });
  const service = new AgentService({ store, controller, allowHooks: options.allowHooks, logger });
  await service.start();

  const version = agentVersion();
  const health = {
    version,
    instanceId,
    startedAt: Date.now(),
    service,
    capability: () => capability.current(),
  };
  const reloadSecrets = async () => {
    const next = await readSecrets();
    auth.setSecrets(next.secrets, next.token);
    current = firstSecret(next.secrets);
    logger.info({ keyIds: [...next.secrets.keys()] }, "secrets reloaded");
  };
  const rotation = new SecretRotation({ secretFile: options.secretFile, reload: reloadSecrets });
  const routes = agentRoutes(service, health, rotation);
  const dispatch = dispatchContext({ routes, auth, logger });
  // Both carriers share one dispatch: the listener (with --listen) and the dashboard link (with --dashboard).
  const listener = options.listen
    ? await listen(createAgentServer({ routes, auth, logger, tls }, dispatch), options.listen)
    : null;
  const server = listener?.server ?? null;
  const address = listener?.address ?? null;
  const dashboardLink = options.dashboard
    ? new DashboardLink({ dashboard: options.dashboard, credentials: () => current, dispatch, logger })
    : null;
  if (!how.dialLater) dashboardLink?.start();
  const drift = new DriftLoop(service, options.driftIntervalSeconds * 1000, logger);
  drift.start();
  logger.info(
    {
      address: address?.address ?? null,
      port: address?.port ?? null,
      tls: tls !== null,
      dialsOut: dashboardLink ? dashboardLink.url.origin : null,
      stateDir: options.stateDir,
      version,
      instanceId,
    },
    address ? "agent listening" : "agent started (dials out only: no listener)",
  );

  return {
    server,
    address,
    service,
    dashboardLink,
    reloadSecrets,
    async stop() {
      await dashboardLink?.stop();
      await drift.stop();
      if (server) {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      }
      await controller.close();
      await store.close();
    },
  };
}

function firstSecret(secrets: ReadonlyMap<string, string>): { keyId: string; secret: string } {
  const [entry] = secrets;
  if (!entry) throw new UsageError("no secret to sign with");
  return { keyId: entry[0], secret: entry[1] };
}

async function readTls(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer }> {
  const read = (file: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read TLS file ${file}: ${error.code ?? error.message}`);
    });
  return { cert: await read(certFile), key: await read(keyFile) };
}

function listen(
  server: Server,
  at: { host: string; port: number },
): Promise<{ server: Server; address: AddressInfo }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => {
      server.off("error", reject);
      resolve({ server, address: server.address() as AddressInfo });
    });
  });
}

export type { AgentLogger };
