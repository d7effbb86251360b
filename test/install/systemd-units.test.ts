// The systemd units the packages ship (packages/dashboard/wgfleet.service, packages/agent/
// wgfleet-agent.service) pass `systemd-analyze verify` with no warning at all: an unknown key or a bad
// value is only a warning there (exit 0), so any output fails here. verify also wants ExecStart's binary
// to exist, so each unit is checked as a copy whose /usr/local/bin/<command> (where `npm install -g`
// puts it) points at a stand-in executable; everything else is checked as shipped. scripts/test.sh
// installs systemd; without systemd-analyze this file is skipped with the reason, except in CI.
import { execFile, execFileSync } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const UNITS = [
  { file: "packages/dashboard/wgfleet.service", command: "wgfleet" },
  { file: "packages/agent/wgfleet-agent.service", command: "wgfleet-agent" },
];

function missingSystemdAnalyze(): string | null {
  try {
    execFileSync("systemd-analyze", ["--version"], { stdio: "ignore" });
    return null;
  } catch {
    return "systemd-analyze is not installed (Debian package systemd; scripts/test.sh installs it)";
  }
}

const missing = missingSystemdAnalyze();
if (missing && process.env.CI) throw new Error(`CI must verify the systemd units: ${missing}`);
if (missing) console.log(`skipping the systemd unit checks: ${missing}`);

function verify(path: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("systemd-analyze", ["verify", path], (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe.skipIf(missing !== null)("the shipped systemd units", () => {
  let dir = "";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-units-"));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(UNITS)(
    "$file runs the packaged /usr/local/bin/$command and passes systemd-analyze verify",
    async (unit) => {
      const text = await readFile(join(REPO_ROOT, unit.file), "utf8");
      const packaged = `/usr/local/bin/${unit.command} `;
      expect(text).toMatch(new RegExp(`^ExecStart=${packaged}`, "m"));

      const standIn = join(dir, unit.command);
      await writeFile(standIn, "#!/bin/sh\n");
      await chmod(standIn, 0o755);
      const copy = join(dir, `${unit.command}.service`);
      await writeFile(copy, text.replaceAll(packaged, `${standIn} `));
      const result = await verify(copy);
      expect(result.output).toBe("");
      expect(result.code).toBe(0);
    },
  );

  it("fails a unit with an unknown key, so the check above can fail", async () => {
    const bad = join(dir, "bad.service");
    await writeFile(bad, "[Service]\nExecStart=/bin/true\nFrobnicate=yes\n");
    expect((await verify(bad)).output).toContain("Frobnicate");
  });

  it("runs the dashboard as the user wgfleet with CAP_NET_ADMIN and the hardening on", async () => {
    const text = await readFile(join(REPO_ROOT, "packages/dashboard/wgfleet.service"), "utf8");
    for (const line of [
      "User=wgfleet",
      "AmbientCapabilities=CAP_NET_ADMIN",
      "CapabilityBoundingSet=CAP_NET_ADMIN",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "StateDirectory=wgfleet",
    ]) {
      expect(text).toMatch(new RegExp(`^${line}$`, "m"));
    }
  });
});
