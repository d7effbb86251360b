import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

function runAgent(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", entry, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
  });
}

describe("wgfleet-agent command line", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-agent-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints its usage for --help and exits 0", async () => {
    const result = await runAgent(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("usage: wgfleet-agent --listen HOST:PORT --secret-file FILE");
  });

  it("prints its version for --version and exits 0", async () => {
    const result = await runAgent(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("exits non-zero with one line naming a bad flag", async () => {
    const result = await runAgent(["--listen", "127.0.0.1:7443", "--secret-file", "x", "--frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("wgfleet-agent: unknown flag --frobnicate (see --help)\n");
  });

  it("exits non-zero with one line naming an unreadable secret file", async () => {
    const missing = join(dir, "missing-secret");
    const result = await runAgent(["--listen", "127.0.0.1:7443", "--state-dir", join(dir, "state")], {
      WGFLEET_AGENT_SECRET_FILE: missing,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`wgfleet-agent: cannot read secret file ${missing}: ENOENT\n`);
    // The log line says why too, without a stack trace.
    expect(result.stdout).toContain("cannot read secret file");
    expect(result.stdout).not.toContain("stack");
  });

  it("reads its settings from a config file and refuses an unknown one there", async () => {
    const config = join(dir, "agent.json");
    await writeFile(
      config,
      JSON.stringify({ listen: "127.0.0.1:7443", secretFile: join(dir, "nope"), colour: "red" }),
    );
    const result = await runAgent(["--config", config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`wgfleet-agent: config file ${config}: unknown setting "colour"\n`);
  });
});
