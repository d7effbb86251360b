// The release script (scripts/release.ts) in a throwaway clone of this repository: versions, the pinned
// versions between the packages, the lock file and the changelog move together, then one commit and
// one tag; what it refuses changes nothing.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../scripts/pack.js";
import { nextVersion, release, releaseChangelog } from "../../scripts/release.js";

const git = (cwd: string, args: string[]) =>
  execFileSync("git", ["-C", cwd, ...args], { encoding: "utf8" }).trim();
const json = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const PACKAGES = ["agent", "core", "dashboard", "web", "wireguard"];

describe("next version", () => {
  it("bumps, takes an explicit newer one, refuses the rest", () => {
    expect(nextVersion("0.1.0", "patch")).toBe("0.1.1");
    expect(nextVersion("0.1.3", "minor")).toBe("0.2.0");
    expect(nextVersion("0.9.3", "major")).toBe("1.0.0");
    expect(nextVersion("0.1.0", "0.10.0")).toBe("0.10.0");
    expect(() => nextVersion("0.2.0", "0.1.9")).toThrow(/not newer/);
    expect(() => nextVersion("0.1.0", "v1")).toThrow(/version: "v1"/);
  });

  it("turns Unreleased into the version's section, and refuses an empty one", () => {
    const text = "# Changelog\n\n## Unreleased\n\n### Added\n\n- a thing\n\n## 0.1.0\n\nfirst\n";
    expect(releaseChangelog(text, "0.2.0", "2026-12-07")).toBe(
      "# Changelog\n\n## Unreleased\n\n## 0.2.0 — 2026-12-07\n\n### Added\n\n- a thing\n\n## 0.1.0\n\nfirst\n",
    );
    expect(() =>
      releaseChangelog("# Changelog\n\n## Unreleased\n\n## 0.1.0\n", "0.2.0", "2026-12-07"),
    ).toThrow(/lists no change/);
  });
});

describe("a release in a clone", () => {
  let dir = "";
  let clone = "";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-release-"));
    clone = join(dir, "repo");
    execFileSync("git", ["clone", "-q", "--no-hardlinks", REPO_ROOT, clone]);
    git(clone, ["config", "user.name", "Release Test"]);
    git(clone, ["config", "user.email", "release-test@example.org"]);
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a dirty tree and changes nothing", async () => {
    const head = git(clone, ["rev-parse", "HEAD"]);
    await writeFile(join(clone, "stray.txt"), "x");
    expect(() => release(clone, "minor")).toThrow(/working tree has changes/);
    await rm(join(clone, "stray.txt"));
    expect(git(clone, ["rev-parse", "HEAD"])).toBe(head);
    expect(git(clone, ["status", "--porcelain"])).toBe("");
  });

  it("a dry run says what it would do and does nothing", () => {
    const head = git(clone, ["rev-parse", "HEAD"]);
    const from = release(clone, "minor", { dryRun: true, date: "2026-12-07" });
    expect(from.changes.join("\n")).toContain(`packages/dashboard/package.json: ${from.from} → ${from.to}`);
    expect(git(clone, ["rev-parse", "HEAD"])).toBe(head);
    expect(git(clone, ["status", "--porcelain"])).toBe("");
  });

  it("sets every version, the pins and the lock, dates the changelog, commits and tags", async () => {
    const plan = release(clone, "minor", { date: "2026-12-07" });
    for (const name of PACKAGES) {
      const manifest = await json(join(clone, "packages", name, "package.json"));
      expect(manifest.version, name).toBe(plan.to);
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
        if (dep.startsWith("@wgfleet/")) expect(range, `${name} → ${dep}`).toBe(plan.to);
      }
    }
    const lock = await json(join(clone, "package-lock.json"));
    for (const name of PACKAGES) expect(lock.packages[`packages/${name}`].version, name).toBe(plan.to);
    // npm itself finds the lock file true to the manifests (offline: it reads only the two).
    execFileSync("npm", ["ls", "--package-lock-only", "--all", "--workspaces", "--offline"], {
      cwd: clone,
      stdio: "pipe",
    });
    const changelog = await readFile(join(clone, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(
      new RegExp(`## Unreleased\\n\\n## ${plan.to.replaceAll(".", "\\.")} — 2026-12-07\\n`),
    );
    expect(git(clone, ["log", "-1", "--format=%s"])).toBe(`Release v${plan.to}`);
    expect(git(clone, ["describe", "--exact-match", "--tags"])).toBe(`v${plan.to}`);
    expect(git(clone, ["status", "--porcelain"])).toBe("");
    // The same version again: the tag exists (and Unreleased is empty now).
    expect(() => release(clone, plan.to)).toThrow();
  });
});
