// `npm run pack [-- --out DIR] [-- --no-build]`: builds, then packs the two installable packages,
// wgfleet-dashboard-<version>.tgz and wgfleet-agent-<version>.tgz, into DIR (default ./release).
//
// The workspace packages (@wgfleet/core, /wireguard, /agent) are on no registry, so each tarball carries
// the ones it uses as bundled dependencies, together with the third-party packages those use (npm takes
// a bundled package's dependencies as part of the bundle: TypeBox, pino). `npm install -g
// ./wgfleet-agent-<v>.tgz` fetches only the outer package's other dependencies from the registry (or its
// cache). Every range is listed on the outer package too, so one copy serves all (one TypeBox: a
// workspace package asking for another range than the outer one is an error here, not a second copy). The dashboard gets
// the built web app copied into web/ inside it, where it looks first (DEFAULT_WEB_ROOT).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  engines?: Record<string, string>;
  type?: string;
  exports?: unknown;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
}

/** The packages that become tarballs (their `files` list what goes in, systemd units included). */
interface Shipped {
  folder: string;
  /** Copy the built web app into web/ (the dashboard). */
  withWeb: boolean;
}

const SHIPPED: Record<string, Shipped> = {
  "@wgfleet/agent": { folder: "agent", withWeb: false },
  "@wgfleet/dashboard": { folder: "dashboard", withWeb: true },
};

const WORKSPACE_SCOPE = "@wgfleet/";

export interface PackResult {
  version: string;
  dashboard: string;
  agent: string;
}

export interface PackOptions {
  outDir: string;
  /** Run `npm run build` first (default true). */
  build?: boolean;
  log?: (line: string) => void;
}

function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(join(REPO_ROOT, "packages", folder, "package.json"), "utf8")) as Manifest;
}

function folderOf(name: string): string {
  return name.slice(WORKSPACE_SCOPE.length);
}

/** Every workspace package `name` uses, directly or through another one. */
function workspaceClosure(name: string, seen = new Set<string>()): Set<string> {
  for (const dep of Object.keys(readManifest(folderOf(name)).dependencies ?? {})) {
    if (dep.startsWith(WORKSPACE_SCOPE) && !seen.has(dep)) {
      seen.add(dep);
      workspaceClosure(dep, seen);
    }
  }
  return seen;
}

/** The third-party dependencies of the package and of every bundled one, one range per name. */
export function thirdPartyDependencies(manifests: Manifest[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const manifest of manifests) {
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (dep.startsWith(WORKSPACE_SCOPE)) continue;
      const known = merged[dep];
      if (known !== undefined && known !== range) {
        throw new Error(`${dep}: ${manifest.name} wants ${range}, another package ${known}; use one range`);
      }
      merged[dep] = range;
    }
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

/** Copies a package's `files` from the workspace, leaving out TypeScript's build info. */
function copyFiles(from: string, to: string, files: string[]): void {
  mkdirSync(to, { recursive: true });
  for (const file of files) {
    cpSync(join(from, file), join(to, file), {
      recursive: true,
      filter: (source) => !source.endsWith(".tsbuildinfo"),
    });
  }
}

/** Where the workspace's install put a third-party package (hoisted, or nested under `from`). */
function installedPackage(name: string, from: string): string {
  const nested = join(from, "node_modules", name);
  if (existsSync(join(nested, "package.json"))) return nested;
  const hoisted = join(REPO_ROOT, "node_modules", name);
  if (existsSync(join(hoisted, "package.json"))) return hoisted;
  throw new Error(`${name} is not installed (npm ci first)`);
}

/**
 * Copies the third-party packages the bundled workspace packages use, with everything they use in turn,
 * into the bundle. npm counts a bundled package's dependencies found beside it as part of the bundle and
 * does not fetch them, so they must be in the tarball (without them it installs empty folders).
 */
function stageBundledThirdParty(names: string[], from: string, stage: string): void {
  for (const name of names) {
    const target = join(stage, "node_modules", name);
    if (existsSync(target)) continue;
    const source = installedPackage(name, from);
    cpSync(source, target, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as Manifest;
    stageBundledThirdParty(Object.keys(manifest.dependencies ?? {}), source, stage);
  }
}

/** A workspace package as a bundled dependency: its manifest (without `private`) and its files. */
function stageBundled(name: string, stage: string, root: Manifest): void {
  const manifest = readManifest(folderOf(name));
  const target = join(stage, "node_modules", name);
  copyFiles(join(REPO_ROOT, "packages", folderOf(name)), target, manifest.files ?? []);
  const { private: _private, ...published } = manifest as Manifest & { private?: boolean };
  writeFileSync(
    join(target, "package.json"),
    `${JSON.stringify({ ...published, license: root.license, engines: root.engines }, null, 2)}\n`,
  );
}

function stagePackage(name: string, root: Manifest, workDir: string): string {
  const shipped = SHIPPED[name] as Shipped;
  const source = join(REPO_ROOT, "packages", shipped.folder);
  const manifest = readManifest(shipped.folder);
  const stage = join(workDir, shipped.folder);
  const files = [...(manifest.files ?? [])];
  copyFiles(source, stage, files);
  cpSync(join(REPO_ROOT, "LICENSE"), join(stage, "LICENSE"));
  if (shipped.withWeb) {
    const web = join(REPO_ROOT, "packages", "web", "dist");
    if (!existsSync(join(web, "index.html"))) throw new Error("packages/web/dist is not built");
    cpSync(web, join(stage, "web"), { recursive: true });
    files.push("web");
  }

  const bundled = [...workspaceClosure(name)].sort();
  for (const dep of bundled) stageBundled(dep, stage, root);
  for (const dep of bundled) {
    const uses = Object.keys(readManifest(folderOf(dep)).dependencies ?? {});
    const from = join(REPO_ROOT, "packages", folderOf(dep));
    stageBundledThirdParty(
      uses.filter((use) => !use.startsWith(WORKSPACE_SCOPE)),
      from,
      stage,
    );
  }
  const dependencies = {
    ...thirdPartyDependencies([manifest, ...bundled.map((dep) => readManifest(folderOf(dep)))]),
    ...Object.fromEntries(bundled.map((dep) => [dep, readManifest(folderOf(dep)).version])),
  };
  const published = {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license: root.license,
    type: manifest.type,
    engines: root.engines,
    exports: manifest.exports,
    bin: manifest.bin,
    files,
    dependencies,
    bundleDependencies: bundled,
  };
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
  return stage;
}

function npmPack(stage: string, outDir: string): string {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", outDir], {
    cwd: stage,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [result] = JSON.parse(out) as Array<{ filename: string }>;
  if (!result) throw new Error(`npm pack in ${stage} printed no result`);
  return join(outDir, result.filename);
}

/** Builds (unless told not to) and packs both tarballs into outDir; their paths. */
export async function pack(options: PackOptions): Promise<PackResult> {
  const log = options.log ?? (() => {});
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  if (options.build !== false) {
    log("building");
    execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  }
  const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Manifest;
  const workDir = mkdtempSync(join(tmpdir(), "wgfleet-pack-"));
  try {
    const agent = npmPack(stagePackage("@wgfleet/agent", root, workDir), outDir);
    log(`packed ${agent}`);
    const dashboard = npmPack(stagePackage("@wgfleet/dashboard", root, workDir), outDir);
    log(`packed ${dashboard}`);
    return { version: readManifest("dashboard").version, dashboard, agent };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): PackOptions {
  const options: PackOptions = { outDir: join(REPO_ROOT, "release"), log: (line) => console.log(line) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--no-build") options.build = false;
    else if (arg === "--out" && argv[i + 1] !== undefined) options.outDir = argv[++i] as string;
    else throw new Error(`unknown argument ${arg} (pack [--out DIR] [--no-build])`);
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await pack(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(`pack: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
