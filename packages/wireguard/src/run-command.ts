// Runs one program with an argument array (never a shell string), a timeout and optional stdin, and
// returns its output. A failure throws CommandError carrying the program's own stderr text. Callers
// must never put key material in `args`: keys travel through 0600 files or `input`.
import { spawn } from "node:child_process";
import { CommandError } from "./errors.js";

export interface CommandOptions {
  /** Run inside this network namespace (`ip netns exec NS command ...`). */
  netns?: string;
  /** Written to the program's stdin, then closed. May hold secrets: never logged. */
  input?: string;
  timeoutMs?: number;
  /**
   * Environment variables for the program, on top of a minimal base (PATH, LC_ALL=C). Our own
   * environment is not passed on, so that no secret in it (a key in an env var) reaches a daemon.
   */
  env?: Record<string, string>;
  /** Pass our whole environment on (operator hooks, which expect a normal shell environment). */
  inheritEnv?: boolean;
  /**
   * Give the program its own session (setsid), so that what it leaves running (a daemonized
   * wireguard-go) outlives us and is not hit by signals sent to our process group.
   */
  detached?: boolean;
  /** The program reports errors on stdout (wireguard-go): use it when stderr is empty. */
  errorsOnStdout?: boolean;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;
const MAX_CAPTURED_OUTPUT = 64 * 1024 * 1024;

/** The argv that actually runs: `ip netns exec NS` in front when a namespace is given. */
export function commandLine(command: string, args: readonly string[], netns?: string): [string, string[]] {
  if (!netns) return [command, [...args]];
  return ["ip", ["netns", "exec", netns, command, ...args]];
}

export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const [file, argv] = commandLine(command, args, options.netns);
  const timeoutMs = options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, {
      env: { ...(options.inheritEnv ? process.env : baseEnv()), ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: options.detached ?? false,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (exitCode: number | null, reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(
        new CommandError(
          command,
          args,
          exitCode,
          errorText(stderr, options.errorsOnStdout ? stdout : []),
          reason,
        ),
      );
    };
    const timer = setTimeout(() => {
      killChild(child.pid, options.detached ?? false);
      fail(null, `timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CAPTURED_OUTPUT) {
        killChild(child.pid, options.detached ?? false);
        fail(null, "produced too much output");
        return;
      }
      into.push(chunk);
    };
    child.stdout.on("data", collect(stdout));
    child.stderr.on("data", collect(stderr));
    child.on("error", (error: NodeJS.ErrnoException) => fail(null, startFailure(command, error)));
    child.on("close", (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const why =
          errorText(stderr, options.errorsOnStdout ? stdout : []) ||
          (signal ? `killed by ${signal}` : `exited with status ${code}`);
        fail(code, why);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
    // A program that does not read stdin closes it early: that is not our failure.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

/**
 * The program's own words: stderr, and for tools that report errors on stdout (wireguard-go) stdout
 * too, without wireguard-go's decorative banner.
 */
function errorText(stderr: Buffer[], stdout: Buffer[]): string {
  const lines = [
    ...Buffer.concat(stderr).toString("utf8").split("\n"),
    ...Buffer.concat(stdout).toString("utf8").split("\n"),
  ];
  return lines
    .filter((line) => line.trim() && !/^\s*[┌│└]/.test(line))
    .join("\n")
    .trim()
    .slice(0, 4000);
}

function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH || "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    LC_ALL: "C",
  };
}

function startFailure(command: string, error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT") return `\`${command}\` not found`;
  return `could not start: ${error.code ?? error.message}`;
}

function killChild(pid: number | undefined, detached: boolean): void {
  if (pid === undefined) return;
  try {
    process.kill(detached ? -pid : pid, "SIGKILL");
  } catch {
    // already gone
  }
}
