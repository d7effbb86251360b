// `npm run release -- <X.Y.Z | patch | minor | major> [--dry-run] [--date YYYY-MM-DD]`: one version
// number for every workspace package (the dashboard and the agent ship together), the pinned
// `@wgfleet/*` dependencies between them and package-lock.json set to it, CHANGELOG.md's "Unreleased"
// section becoming the version's own, then one commit "Release vX.Y.Z" and an annotated tag vX.Y.Z.
// Refuses a dirty tree, an existing tag and an empty "Unreleased" section. Pushing is left to the
// person releasing (`git push --follow-tags`); `npm run pack` then builds the tarballs of that commit.
//
// The versions are written here rather than by `npm version --workspaces`, which leaves the pinned
// versions between the packages (and their lock entries) at the old number.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;
const UNRELEASED = "## Unreleased";

export interface ReleasePlan {
  from: string;
  to: string;
  date: string;
  /** Files and what changes in them, for --dry-run. */
  changes: string[];
}

export function nextVersion(current: string, wanted: string): string {
  const parts = SEMVER.exec(current);
  if (!parts) throw new Error(`the current version ${current} is not X.Y.Z`);
  const [major, minor, patch] = parts.slice(1).map(Number) as [number, number, number];
  if (wanted === "major") return `${major + 1}.0.0`;
  if (wanted === "minor") return `${major}.${minor + 1}.0`;
  if (wanted === "patch") return `${major}.${minor}.${patch + 1}`;
  if (!SEMVER.test(wanted)) throw new Error(`version: "${wanted}" is not X.Y.Z, patch, minor or major`);
  if (compare(wanted, current) <= 0) throw new Error(`version: ${wanted} is not newer than ${current}`);
  return wanted;
}

function compare(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x?.[i] !== y?.[i]) return (x?.[i] ?? 0) - (y?.[i] ?? 0);
  return 0;
}

/** The changelog with "Unreleased" emptied into a section of its own; throws when it holds nothing. */
export function releaseChangelog(text: string, version: string, date: string): string {
  const start = text.indexOf(`${UNRELEASED}\n`);
  if (start < 0) throw new Error(`CHANGELOG.md has no "${UNRELEASED}" section`);
  const bodyStart = start + UNRELEASED.length + 1;
  const next = text.indexOf("\n## ", bodyStart);
  const body = text.slice(bodyStart, next < 0 ? undefined : next);
  if (!/^\s*- /m.test(body)) throw new Error(`CHANGELOG.md: "${UNRELEASED}" lists no change to release`);
  return `${text.slice(0, bodyStart)}\n## ${version} — ${date}\n${text.slice(bodyStart)}`;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

function workspaceFolders(root: string): string[] {
  return readdirSync(join(root, "packages")).map((name) => `packages/${name}`);
}

/** Every workspace's version, and the `@wgfleet/*` dependencies pinned to the old one, set to `to`. */
function setManifestVersion(manifest: Manifest, from: string, to: string): Manifest {
  const dependencies = manifest.dependencies && { ...manifest.dependencies };
  for (const [name, range] of Object.entries(dependencies ?? {})) {
    if (name.startsWith("@wgfleet/") && range === from && dependencies) dependencies[name] = to;
  }
  return { ...manifest, version: to, ...(dependencies && { dependencies }) };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function git(root: string, args: string[]): string {
  return execFileSync("git", ["-C", root, ...args], { encoding: "utf8" }).trim();
}

export function release(
  root: string,
  wanted: string,
  options: { dryRun?: boolean; date?: string } = {},
): ReleasePlan {
  const folders = workspaceFolders(root);
  const from = readJson<Manifest>(join(root, "packages/dashboard/package.json")).version;
  const to = nextVersion(from, wanted);
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`--date: "${date}" is not YYYY-MM-DD`);
  if (git(root, ["status", "--porcelain"]) !== "")
    throw new Error("the working tree has changes; commit them first");
  if (git(root, ["tag", "--list", `v${to}`]) !== "") throw new Error(`the tag v${to} exists already`);
  const changelogPath = join(root, "CHANGELOG.md");
  const changelog = releaseChangelog(readFileSync(changelogPath, "utf8"), to, date);
  const plan: ReleasePlan = {
    from,
    to,
    date,
    changes: [
      ...folders.map((folder) => `${folder}/package.json: ${from} → ${to}`),
      `package-lock.json: the workspaces' entries → ${to}`,
      `CHANGELOG.md: "Unreleased" becomes "## ${to} — ${date}"`,
      `git commit "Release v${to}" and tag v${to}`,
    ],
  };
  if (options.dryRun) return plan;

  for (const folder of folders) {
    const path = join(root, folder, "package.json");
    writeJson(path, setManifestVersion(readJson<Manifest>(path), from, to));
  }
  const lockPath = join(root, "package-lock.json");
  const lock = readJson<{ packages: Record<string, Manifest> }>(lockPath);
  for (const folder of folders) {
    const entry = lock.packages[folder];
    if (entry) lock.packages[folder] = setManifestVersion(entry, from, to);
  }
  writeJson(lockPath, lock);
  writeFileSync(changelogPath, changelog);
  git(root, ["add", "CHANGELOG.md", "package-lock.json", ...folders.map((f) => `${f}/package.json`)]);
  git(root, ["commit", "-q", "-m", `Release v${to}`]);
  git(root, ["tag", "-a", `v${to}`, "-m", `wgfleet ${to}`]);
  return plan;
}

function main(argv: string[]): void {
  const args = argv.filter((arg) => !arg.startsWith("--"));
  const dateAt = argv.indexOf("--date");
  const wanted = args.find((arg) => arg !== argv[dateAt + 1]);
  if (!wanted) {
    console.error(
      "usage: npm run release -- <X.Y.Z | patch | minor | major> [--dry-run] [--date YYYY-MM-DD]",
    );
    process.exit(2);
  }
  const root = fileURLToPath(new URL("../", import.meta.url));
  const dryRun = argv.includes("--dry-run");
  try {
    const plan = release(root, wanted, { dryRun, date: dateAt >= 0 ? argv[dateAt + 1] : undefined });
    console.log(`${dryRun ? "would release" : "released"} ${plan.from} → ${plan.to}:`);
    for (const change of plan.changes) console.log(`  ${change}`);
    if (!dryRun) console.log(`push with: git push --follow-tags`);
  } catch (error) {
    console.error(`release: ${(error as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
