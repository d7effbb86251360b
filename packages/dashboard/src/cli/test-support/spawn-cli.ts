// Runs the built `wgfleet` command (bin/wgfleet.js → dist/) as a real process, for the CLI and
// start-up tests. `npm run build` must have run (scripts/test.sh does it before the tests).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../../bin/wgfleet.js", import.meta.url));
const BUILT_MAIN = fileURLToPath(new URL("../../../dist/cli/main.js", import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first`);
}

/** The environment without anything that would change which database or admin the CLI uses. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("WGFLEET_") || name === "DATABASE_URL") delete env[name];
  }
  return { ...env, ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env ?? cleanEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** Everything written to stderr (the banner) so far. */
  stderr(): string;
  stdout(): string;
  /** The generated admin password, read from the file the banner names, or null (no file named or left). */
  generatedPassword(): string | null;
  /** The password file the banner names, or null. */
  passwordFile(): string | null;
  /** SIGKILL, or SIGTERM and wait for a clean exit; resolves with the exit code / signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const BANNER_URL = /wgfleet is running at (http:\/\/[^\s/]+)\//;
const BANNER_PASSWORD_FILE = /password is in (\S+) \(readable/;

function passwordFileOf(stderr: string): string | null {
  return BANNER_PASSWORD_FILE.exec(stderr)?.[1] ?? null;
}

/** The first line of the password file the banner names, or null. */
export function readPasswordFile(path: string | null): string | null {
  if (path === null) return null;
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}
const BANNER_END = /\n=+\n/;

/** Starts `wgfleet serve` and resolves once its banner names the URL (rejects if it exits first). */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  options: { timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<ServeProcess> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(process.execPath, [BIN, "serve", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
  });
  let stderr = "";
  let stdout = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `serve did not start in ${timeoutMs} ms; stderr: ${stderr}; stdout: ${stdout.slice(-2000)}`,
        ),
      );
    }, timeoutMs);
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
      const match = BANNER_URL.exec(stderr);
      // The banner is complete when its closing rule of "=" has arrived after the URL line.
      if (match?.[1] && BANNER_END.test(stderr.slice(match.index))) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1],
          stderr: () => stderr,
          stdout: () => stdout,
          generatedPassword: () => readPasswordFile(passwordFileOf(stderr)),
          passwordFile: () => passwordFileOf(stderr),
          stop: async (signal = "SIGTERM") => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before it listened; stderr: ${stderr}`));
    });
  });
}

/** POST /api/v1/session; returns the status and, on success, the cookie header and CSRF token. */
export async function loginOver(url: string, username: string, password: string) {
  const response = await fetch(`${url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { csrfToken?: string; user?: { mustChangePassword: boolean } };
  const setCookie = response.headers.get("set-cookie") ?? "";
  return {
    status: response.status,
    body,
    cookie: setCookie.split(";")[0] ?? "",
    setCookie,
    csrfToken: body.csrfToken ?? "",
  };
}
