// Runs a real `wgfleet-agent` process inside a test network namespace (`ip netns exec NS node ...`),
// listening on the namespace's veth address, with its own secret file, state dir and log file. Used by
// the agent's end-to-end tests and its bench. Processes are tracked by pid and stopped by pid.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AgentClient, keyIdForSecret } from "../client/index.js";

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const sourceEntry = join(repoRoot, "packages/agent/src/main.ts");
const builtEntry = join(repoRoot, "packages/agent/dist/main.js");

export interface AgentProcessOptions {
  /** The namespace to run in (null: the host's, for tests that need no WireGuard); it listens on `listenHost`. */
  netns: string | null;
  listenHost: string;
  port?: number;
  driftIntervalSeconds?: number;
  allowHooks?: boolean;
  /** Use the built dist/main.js instead of the sources through tsx (benches after `npm run build`). */
  useBuild?: boolean;
  /** Flags for node itself, e.g. ["--cpu-prof"] when profiling. */
  nodeArgs?: string[];
  /** Also accept this bearer token on GET /metrics. */
  metricsToken?: string;
  extraArgs?: string[];
  /**
   * Run as this unprivileged user (with `setpriv`; needs `netns`), with or without CAP_NET_ADMIN as an
   * ambient capability. Inside the namespace's private mount table the process gets what wireguard-go
   * needs besides the capability: its own writable tmpfs on /var/run/wireguard and a /dev/net/tun it
   * may open (the host's is root-only). Nothing of that is visible outside the process.
   */
  runAs?: { user: string; group: string; netAdmin: boolean };
}

/** $1 a folder for the device node, $2 user, $3 group; then setpriv's capability flags and the command. */
const UNPRIVILEGED_LAUNCHER = `set -e
dev="$1"; user="$2"; group="$3"; shift 3
mount -t tmpfs -o mode=0755 tmpfs /var/run/wireguard
chown "$user:$group" /var/run/wireguard
mkdir -p "$dev"
mount -t tmpfs -o mode=0755 tmpfs "$dev"
mknod -m 0666 "$dev/tun" c 10 200
mount --bind "$dev/tun" /dev/net/tun
exec setpriv --reuid="$user" --regid="$group" --clear-groups "$@"
`;

export class AgentProcess {
  readonly secret = randomBytes(24).toString("hex");
  readonly keyId = keyIdForSecret(this.secret);
  readonly port: number;
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> | null = null;

  private constructor(
    readonly options: AgentProcessOptions,
    /** Holds the secret file, the state dir and the log. */
    readonly dir: string,
  ) {
    // Each namespace has its own ports, so a fixed default cannot collide with another test.
    this.port = options.port ?? 7443;
  }

  static async create(options: AgentProcessOptions): Promise<AgentProcess> {
    if (options.runAs && !options.netns) throw new Error("runAs needs a network namespace (netns)");
    const dir = await mkdtemp(join(tmpdir(), "wgfleet-agent-test-"));
    const agent = new AgentProcess(options, dir);
    await writeFile(agent.secretFile, `${agent.secret}\n`, { mode: 0o600 });
    if (options.metricsToken)
      await writeFile(agent.metricsTokenFile, `${options.metricsToken}\n`, { mode: 0o600 });
    return agent;
  }

  get secretFile(): string {
    return join(this.dir, "secret");
  }

  get metricsTokenFile(): string {
    return join(this.dir, "metrics-token");
  }

  get stateDir(): string {
    return join(this.dir, "state");
  }

  get logFile(): string {
    return join(this.dir, "agent.log");
  }

  get baseUrl(): string {
    const scheme = this.options.extraArgs?.includes("--tls-cert") ? "https" : "http";
    return `${scheme}://${this.options.listenHost}:${this.port}`;
  }

  /** Sends a signal to the agent process (e.g. SIGHUP to re-read the secret files). */
  kill(signal: NodeJS.Signals): void {
    this.signalNow(signal);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  client(overrides: Partial<ConstructorParameters<typeof AgentClient>[0]> = {}): AgentClient {
    return new AgentClient({ baseUrl: this.baseUrl, keyId: this.keyId, secret: this.secret, ...overrides });
  }

  /** Starts the agent and waits until /livez answers (or the process dies). */
  async start(): Promise<void> {
    if (this.child) throw new Error("agent already running");
    const useBuild = this.options.useBuild === true && existsSync(builtEntry);
    const entry = useBuild ? [builtEntry] : ["--import", "tsx", sourceEntry];
    const args = [
      ...(this.options.nodeArgs ?? []),
      ...entry,
      "--listen",
      `${this.options.listenHost}:${this.port}`,
      "--secret-file",
      this.secretFile,
      "--state-dir",
      this.stateDir,
      "--drift-interval-seconds",
      String(this.options.driftIntervalSeconds ?? 30),
      ...(this.options.allowHooks ? ["--allow-hooks"] : []),
      ...(this.options.metricsToken ? ["--metrics-token-file", this.metricsTokenFile] : []),
      ...(this.options.extraArgs ?? []),
    ];
    const log = openSync(this.logFile, "a");
    try {
      const [command, prefix] = this.options.netns
        ? ["ip", ["netns", "exec", this.options.netns, ...(await this.launcher()), process.execPath]]
        : [process.execPath, []];
      this.child = spawn(command, [...prefix, ...args], {
        cwd: repoRoot,
        stdio: ["ignore", log, log],
        env: { ...process.env },
      });
    } finally {
      closeSync(log);
    }
    const child = this.child;
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    await this.waitUntilLive();
  }

  /** What runs node inside the namespace: nothing, or the unprivileged launcher (see `runAs`). */
  private async launcher(): Promise<string[]> {
    const runAs = this.options.runAs;
    if (!runAs) return [];
    const script = join(this.dir, "launch-unprivileged.sh");
    await writeFile(script, UNPRIVILEGED_LAUNCHER, { mode: 0o700 });
    await execFileAsync("chown", ["-R", `${runAs.user}:${runAs.group}`, this.dir]);
    const caps = runAs.netAdmin ? ["--inh-caps=+net_admin", "--ambient-caps=+net_admin"] : [];
    return ["/bin/sh", script, join(this.dir, "dev"), runAs.user, runAs.group, ...caps];
  }

  /** SIGKILL, as a crash would; waits for the process to be gone. */
  async kill9(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** SIGTERM, then SIGKILL after 5 s; never throws. */
  async stop(): Promise<void> {
    if (!this.child) return;
    const done = this.exited;
    this.signalNow("SIGTERM");
    const timer = setTimeout(() => this.signalNow("SIGKILL"), 5_000);
    await done;
    clearTimeout(timer);
    this.child = null;
  }

  async logText(): Promise<string> {
    return readFile(this.logFile, "utf8").catch(() => "");
  }

  /** Stops the process and removes its folder (secret, state, log). */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.child) return;
    const done = this.exited;
    this.signalNow(signal);
    await done;
    this.child = null;
  }

  private signalNow(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }

  /** GET /livez answers "ok" (over TLS, the certificate is not checked: this only asks whether it listens). */
  private async live(): Promise<boolean> {
    if (this.baseUrl.startsWith("http:")) {
      return (await fetch(`${this.baseUrl}/livez`, { signal: AbortSignal.timeout(1000) })).ok;
    }
    return new Promise((resolve, reject) => {
      const request = httpsRequest(
        `${this.baseUrl}/livez`,
        { rejectUnauthorized: false, timeout: 1000 },
        (response) => {
          response.resume();
          resolve(response.statusCode === 200);
        },
      );
      request.on("error", reject);
      request.end();
    });
  }

  private async waitUntilLive(): Promise<void> {
    const deadline = Date.now() + 30_000;
    let exitCode: number | null | undefined;
    void this.exited?.then((code) => {
      exitCode = code;
    });
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(
          `agent exited with ${exitCode} before it listened:\n${(await this.logText()).slice(-2000)}`,
        );
      }
      try {
        if (await this.live()) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`agent did not listen within 30 s:\n${(await this.logText()).slice(-2000)}`);
  }
}
