// The built `wgfleet serve` as a child process, for tests and benches that need the real thing
// (SIGKILL, restart, HTTP over loopback): start it against a data dir with the local node in a network
// namespace, wait until it listens, get an API key, and talk to it with fetch. Never leaves it running:
// stop() waits for the exit.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../packages/dashboard/bin/wgfleet.js", import.meta.url));
const BUILT_MAIN = fileURLToPath(new URL("../../packages/dashboard/dist/cli/main.js", import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Every stdout/stderr line so far. */
  lines: string[];
  /** Sends the signal and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM and wait (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  dataDir: string;
  /** The local node's network namespace ($WGFLEET_LOCAL_NETNS); none with `--no-local`. */
  netns?: string;
  /** More `serve` flags, e.g. `--no-local`. */
  extraArgs?: string[];
  adminPassword: string;
  env?: Record<string, string>;
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first`);
  // The bin as a command, as the systemd unit and the container run it: its first line gives node the
  // dashboard's memory settings.
  const child = spawn(
    BIN,
    ["serve", "--listen", "127.0.0.1:0", "--data-dir", options.dataDir, ...(options.extraArgs ?? [])],
    {
      env: {
        ...process.env,
        WGFLEET_ADMIN_USER: "admin",
        WGFLEET_ADMIN_PASSWORD: options.adminPassword,
        ...(options.netns ? { WGFLEET_LOCAL_NETNS: options.netns } : {}),
        WGFLEET_LOG_LEVEL: "info",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not listen in 60 s:\n${lines.join("\n")}`)),
      60_000,
    );
    let listened = false;
    const onLine = (line: string) => {
      lines.push(line);
      // Only until the server listens: afterwards every request writes an access-log line, and
      // parsing each one cost the benches' client CPU on the same cores as the server.
      if (listened) return;
      const listening = parseListening(line);
      if (listening) {
        listened = true;
        clearTimeout(timer);
        resolve(listening);
      }
    };
    collectLines(child, onLine);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${lines.join("\n")}`));
    });
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    pid: child.pid ?? -1,
    lines,
    kill,
    stop: async () => {
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await kill("SIGTERM");
      clearTimeout(force);
    },
  };
}

function collectLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) if (part) onLine(part);
    });
  }
}

function parseListening(line: string): string | null {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === "listening" && entry.url ? entry.url : null;
  } catch {
    return null;
  }
}

export interface HttpAnswer {
  status: number;
  text: string;
  json(): any;
}

export interface ApiClient {
  request(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
}

/** One HTTP exchange: method, path (with query), headers, JSON text or none. */
export type HttpSend = (
  method: string,
  path: string,
  headers: Record<string, string>,
  payload?: string,
) => Promise<HttpAnswer>;

/**
 * HTTP over node:http with one keep-alive agent: lighter than fetch (about half the client CPU per
 * request here), so a bench on this 2-core machine measures the server, not the client.
 */
export function keepAliveHttp(url: string): HttpSend {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  return (method, path, headers, payload) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = httpRequest(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          headers: {
            ...headers,
            ...(payload === undefined ? {} : { "content-length": Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
}

/** The native API with an API key, over `keepAliveHttp`. */
export function apiClient(url: string, apiKey: string): ApiClient {
  const send = keepAliveHttp(url);
  return {
    request(method, path, body) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return send(
        method,
        path,
        {
          authorization: `Bearer ${apiKey}`,
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
        },
        payload,
      );
    },
  };
}

/** Logs in as the admin and creates an API key (writes with a key need no CSRF token). */
export async function createAdminApiKey(url: string, password: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const created = await fetch(`${url}/api/v1/apikeys`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
    body: JSON.stringify({ name: "test" }),
  });
  if (created.status !== 201) throw new Error(`API key: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { key: string }).key;
}

/** Every peer of a configuration, following the cursor. */
export async function allPeers(api: ApiClient, configuration: string): Promise<any[]> {
  const peers: any[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = await api.request("GET", `/api/v1/configurations/${configuration}/peers?limit=500${query}`);
    if (page.status !== 200) throw new Error(`list: ${page.status} ${page.text}`);
    const body = page.json();
    peers.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return peers;
}
