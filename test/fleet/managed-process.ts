// A long-running program the fleet harness started (an agent, the dashboard): spawned in its own
// process group with its output appended to a log file, tracked by pid, stopped by pid. Never signals
// anything by name and never builds a shell string.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";

export interface ManagedProcessOptions {
  /** What the process is, for error messages ("agent node1"). */
  label: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export class ManagedProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | string>;
  private exitStatus: number | string | null = null;

  private constructor(readonly options: ManagedProcessOptions) {
    const log = openSync(options.logFile, "a");
    try {
      // Own process group: a terminal's Ctrl-C reaches the harness, which then stops these in order.
      this.child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ["ignore", log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exitStatus = code ?? signal ?? "unknown";
        resolve(this.exitStatus);
      });
      this.child.once("error", (error) => {
        this.exitStatus = `spawn failed: ${error.message}`;
        resolve(this.exitStatus);
      });
    });
  }

  static start(options: ManagedProcessOptions): ManagedProcess {
    return new ManagedProcess(options);
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get running(): boolean {
    return this.exitStatus === null;
  }

  /** Exit code or signal name once it ended, else null. */
  get status(): number | string | null {
    return this.exitStatus;
  }

  /** Resolves with the exit code or signal when the process ends. */
  whenExited(): Promise<number | string> {
    return this.exited;
  }

  /** The last `chars` characters of the log, for error messages. */
  async logTail(chars = 2_000): Promise<string> {
    const text = await readFile(this.options.logFile, "utf8").catch(() => "");
    return text.slice(-chars);
  }

  /** Polls `probe` until it says ready; fails early (with the log's tail) when the process ends. */
  async waitReady(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(
          `${this.options.label} exited (${this.exitStatus}) before it was ready:\n${await this.logTail()}`,
        );
      }
      if (await probe().catch(() => false)) return;
      await sleep(100);
    }
    throw new Error(`${this.options.label} was not ready within ${timeoutMs} ms:\n${await this.logTail()}`);
  }

  /** SIGTERM, SIGKILL after `graceMs`; resolves when the process is gone. Never throws. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.signal("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL, as a crash would; resolves when the process is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.signal("SIGKILL");
    await this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || !this.running) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
