// The fleet's dashboard: a real `wgfleet serve` process on the host's loopback with its own data dir,
// the first admin from WGFLEET_ADMIN_USER / WGFLEET_ADMIN_PASSWORD, and an API key made through a
// session login (POST /api/v1/session, then POST /api/v1/apikeys). Its local node is off (--no-local),
// or lives in a namespace of its own (WGFLEET_LOCAL_NETNS) — never on the host's own interfaces.
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { CONTAINER_DATA_DIR, type ContainerRun, podmanRunArgs, removeContainer } from "./container-run.js";
import { FleetApi } from "./fleet-api.js";
import { ManagedProcess } from "./managed-process.js";
import { installedBin, nodeBinary, type RunFrom, repoRoot } from "./run-from.js";

export interface DashboardOptions {
  /** HOST:PORT; default 127.0.0.1 with a free port. The port is kept across restarts. */
  listen?: string;
  /** Give the dashboard a local node whose WireGuard lives in a namespace of the fleet. Default false. */
  local?: boolean;
  adminUser?: string;
  /** Default: random. */
  adminPassword?: string;
  /** PostgreSQL instead of SQLite in the data dir. */
  databaseUrl?: string;
  /** Extra environment (e.g. a health polling interval). */
  env?: Record<string, string>;
  /** Extra `wgfleet serve` flags. */
  args?: string[];
  /**
   * Test-only modules the dashboard process loads first (`node --import`), e.g.
   * test/support/crash-after-allocate.ts. Sources only: they patch the dashboard's sources, not dist.
   */
  imports?: string[];
  /** Run `wgfleet serve` from this container image instead (no local node, no imports). */
  container?: ContainerRun;
}

export interface DashboardSettings {
  dir: string;
  runFrom: RunFrom;
  /** The local node's namespace, when the dashboard has a local node. */
  localNetns: string | null;
}

export class FleetDashboard {
  readonly adminUser: string;
  readonly adminPassword: string;
  private process: ManagedProcess | null = null;
  private listen: { host: string; port: number } | null = null;
  private key: string | null = null;

  constructor(
    readonly options: DashboardOptions,
    private readonly settings: DashboardSettings,
  ) {
    this.adminUser = options.adminUser ?? "admin";
    this.adminPassword = options.adminPassword ?? `fleet-${randomBytes(12).toString("hex")}`;
  }

  /** "http://127.0.0.1:PORT" (no trailing slash). */
  get url(): string {
    if (!this.listen) throw new Error("the dashboard has not been started");
    const host = this.listen.host.includes(":") ? `[${this.listen.host}]` : this.listen.host;
    return `http://${host}:${this.listen.port}`;
  }

  get dataDir(): string {
    return join(this.settings.dir, "data");
  }

  get logFile(): string {
    return join(this.settings.dir, "dashboard.log");
  }

  get pid(): number | null {
    return this.process?.running ? this.process.pid : null;
  }

  get running(): boolean {
    return this.process?.running === true;
  }

  /** The admin's API key (made at the first start; it survives restarts with the database). */
  get apiKey(): string {
    if (!this.key) throw new Error("the dashboard has no API key yet");
    return this.key;
  }

  /** The API as the admin, with the API key. */
  api(): FleetApi {
    return new FleetApi(this.url, this.apiKey);
  }

  async logTail(chars = 4_000): Promise<string> {
    return this.process?.logTail(chars) ?? "";
  }

  /** Starts `wgfleet serve`, waits for /healthz; on the first start also logs in and makes the API key. */
  async start(): Promise<void> {
    if (this.running) throw new Error("the dashboard is already running");
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    this.listen ??= await resolveListen(this.options.listen);
    const env = this.env();
    const container = this.options.container;
    this.process = ManagedProcess.start({
      label: "dashboard",
      ...(container
        ? {
            command: "podman",
            args: podmanRunArgs(container, this.dataDir, this.passedEnv(env), [
              "wgfleet",
              "serve",
              ...this.serveArgs(),
            ]),
          }
        : this.command(["serve", ...this.serveArgs()])),
      cwd: repoRoot,
      env,
      logFile: this.logFile,
    });
    await this.process.waitReady(() => this.healthy(), 90_000);
    this.key ??= await this.createApiKey();
  }

  /** SIGTERM: a clean shutdown. */
  async stop(): Promise<void> {
    await this.process?.stop();
    if (this.options.container) await removeContainer(this.options.container);
  }

  /** SIGKILL, as a crash. */
  async kill(): Promise<void> {
    await this.process?.kill();
    if (this.options.container) await removeContainer(this.options.container);
  }

  private async healthy(): Promise<boolean> {
    const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  }

  /** The process that runs `wgfleet` with these arguments. */
  private command(args: string[]): { command: string; args: string[] } {
    const imports = this.options.imports ?? [];
    const runFrom = this.settings.runFrom;
    if (typeof runFrom === "object") {
      if (imports.length > 0)
        throw new Error("DashboardOptions.imports needs the dashboard run from sources");
      return { command: nodeBinary(runFrom), args: [installedBin(runFrom, "wgfleet"), ...args] };
    }
    if (runFrom === "build") {
      if (imports.length > 0)
        throw new Error("DashboardOptions.imports needs the dashboard run from sources");
      // The bin as a command, as the systemd unit runs it: its first line gives node the memory settings.
      return { command: join(repoRoot, "packages/dashboard/bin/wgfleet.js"), args };
    }
    const tests = imports.flatMap((module) => ["--import", module]);
    const entry = join(repoRoot, "test/fleet/entries/dashboard.ts");
    return { command: nodeBinary(runFrom), args: ["--import", "tsx", ...tests, entry, ...args] };
  }

  private serveArgs(): string[] {
    const listen = this.listen as { host: string; port: number };
    return [
      "--listen",
      `${listen.host}:${listen.port}`,
      "--data-dir",
      this.options.container ? CONTAINER_DATA_DIR : this.dataDir,
      ...(this.settings.localNetns ? [] : ["--no-local"]),
      ...(this.options.args ?? []),
    ];
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WGFLEET_ADMIN_USER: this.adminUser,
      WGFLEET_ADMIN_PASSWORD: this.adminPassword,
      ...this.options.env,
    };
    delete env.WGFLEET_LOCAL_NETNS;
    delete env.DATABASE_URL;
    if (this.settings.localNetns) env.WGFLEET_LOCAL_NETNS = this.settings.localNetns;
    if (this.options.databaseUrl) env.DATABASE_URL = this.options.databaseUrl;
    return env;
  }

  /** What a container gets of the environment: the dashboard's own settings, not the test's. */
  private passedEnv(env: NodeJS.ProcessEnv): string[] {
    if (this.settings.localNetns || (this.options.imports ?? []).length > 0)
      throw new Error("a dashboard run from a container has no local node namespace and no imports");
    const names = ["WGFLEET_ADMIN_USER", "WGFLEET_ADMIN_PASSWORD", ...Object.keys(this.options.env ?? {})];
    if (env.DATABASE_URL) names.push("DATABASE_URL");
    return names;
  }

  /** Logs in as the admin and makes an API key with the session (cookie + CSRF token). */
  private async createApiKey(): Promise<string> {
    const login = await fetch(`${this.url}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: this.adminUser, password: this.adminPassword }),
    });
    if (login.status !== 200) throw new Error(`admin login answered ${login.status}: ${await login.text()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const created = await fetch(`${this.url}/api/v1/apikeys`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
      body: JSON.stringify({ name: "fleet-harness" }),
    });
    if (created.status !== 201)
      throw new Error(`API key creation answered ${created.status}: ${await created.text()}`);
    return ((await created.json()) as { key: string }).key;
  }
}

/** "HOST:PORT" as given, or 127.0.0.1 with a port the kernel says is free now. */
async function resolveListen(listen: string | undefined): Promise<{ host: string; port: number }> {
  if (listen) {
    const match = /^(.+):(\d+)$/.exec(listen);
    if (!match) throw new Error(`dashboard listen "${listen}" must be HOST:PORT`);
    const host = (match[1] as string).replace(/^\[(.*)\]$/, "$1");
    const port = Number(match[2]);
    if (port === 0) return { host, port: await freePort(host) };
    // Fail now rather than probe someone else's server on that port.
    await freePort(host, port).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot listen on ${listen}: ${error.code ?? error.message} (another program uses it?)`,
      );
    });
    return { host, port };
  }
  return { host: "127.0.0.1", port: await freePort("127.0.0.1") };
}

/** Binds HOST:PORT (0: any) and lets go again; the port that was free. */
function freePort(host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}
