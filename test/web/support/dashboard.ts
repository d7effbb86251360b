// A real dashboard for the browser tests and the web bench: the built `wgfleet serve` on a free
// loopback port with a fresh data dir, its local node's WireGuard inside a test namespace
// (WGFLEET_LOCAL_NETNS), and a small cookie-session API client for setting things up. stop() ends
// the process by its pid, removes the namespace (and the wireguard-go processes in it) and the data dir.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createNamespace, type TestNamespace } from "../../support/netns.js";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../../../", import.meta.url)));
export const OUTPUT_DIR = join(REPO_ROOT, "test-output");
const BIN = join(REPO_ROOT, "packages/dashboard/bin/wgfleet.js");
const BUILT = [
  join(REPO_ROOT, "packages/dashboard/dist/cli/main.js"),
  join(REPO_ROOT, "packages/web/dist/index.html"),
];

export const ADMIN_USER = "admin";

export interface Dashboard {
  url: string;
  adminPassword: string;
  /** Where the local node's interfaces live; null when started without WireGuard (`--no-local`). */
  namespace: TestNamespace | null;
  /** The admin's API client (cookie session + CSRF token). */
  admin: ApiSession;
  stop(): Promise<void>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: ${status} ${body.slice(0, 300)}`);
  }
}

/** A signed-in user's view of the API, as the browser has it: the session cookie and the CSRF token. */
export class ApiSession {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  static async login(baseUrl: string, username: string, password: string): Promise<ApiSession> {
    const response = await fetch(`${baseUrl}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(response.status, text, `login as ${username}`);
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    return new ApiSession(baseUrl, cookie, (JSON.parse(text) as { csrfToken: string }).csrfToken);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.raw(method, path, body);
    const text = await response.text();
    if (!response.ok) throw new ApiError(response.status, text, `${method} ${path}`);
    return (text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text) as T;
  }

  raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== "GET" && method !== "HEAD") headers["x-csrf-token"] = this.csrfToken;
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

export function missingBuild(): string | null {
  const missing = BUILT.filter((file) => !existsSync(file));
  return missing.length === 0 ? null : `not built (${missing.join(", ")}): run \`npm run build\` first`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A name no other test uses: prefix + random hex, at most 15 characters (interface names). */
export function uniqueName(prefix: string, length = 15): string {
  return (prefix + randomBytes(8).toString("hex")).slice(0, length);
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`wgfleet serve exited with ${child.exitCode} before it was healthy`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`wgfleet serve was not healthy within ${timeoutMs} ms`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a dashboard; `name` labels its log file under test-output/. With `wireguard: false` the local
 * node is off (`--no-local`) and nothing needs root. `env` adds settings (faster health rounds, say).
 */
export async function startDashboard(
  name: string,
  options: {
    wireguard?: boolean;
    env?: Record<string, string>;
    /** A port chosen beforehand (e.g. one an OIDC provider's redirect URI names); a free one otherwise. */
    port?: number;
    /** Sign the admin in with the password (default); false when password sign-in is turned off. */
    signIn?: boolean;
  } = {},
): Promise<Dashboard> {
  const built = missingBuild();
  if (built) throw new Error(built);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const dataDir = await mkdtemp(join(tmpdir(), "wgfleet-web-"));
  const namespace = options.wireguard === false ? null : await createNamespace("wgweb");
  let child: ChildProcess | null = null;
  const stop = async () => {
    const errors: unknown[] = [];
    if (child) await stopProcess(child).catch((e: unknown) => errors.push(e));
    await namespace?.destroy().catch((e: unknown) => errors.push(e));
    await rm(dataDir, { recursive: true, force: true }).catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, "dashboard teardown failed");
  };
  try {
    const port = options.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const adminPassword = `pw-${randomBytes(12).toString("hex")}`;
    const log = createWriteStream(join(OUTPUT_DIR, `dashboard-${name}.log`));
    const args = [BIN, "serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir];
    if (!namespace) args.push("--no-local");
    child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        WGFLEET_ADMIN_USER: ADMIN_USER,
        WGFLEET_ADMIN_PASSWORD: adminPassword,
        ...(namespace ? { WGFLEET_LOCAL_NETNS: namespace.name } : {}),
        WGFLEET_LOG_LEVEL: "warn",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    await waitForHealth(url, child, 60_000);
    if (options.signIn === false) {
      const admin = new Proxy({} as ApiSession, {
        get: () => {
          throw new Error("this dashboard was started without password sign-in: no admin session");
        },
      });
      return { url, adminPassword, namespace, admin, stop };
    }
    const admin = await ApiSession.login(url, ADMIN_USER, adminPassword);
    return { url, adminPassword, namespace, admin, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
