// The base image the container test builds the Dockerfile on, made here because no registry is
// reachable: a minimal Debian bookworm root filesystem from debootstrap (with the packages the image's
// runtime stage would otherwise fetch), imported into podman, plus Node from the npm `node` package and
// this machine's npm laid out in /usr/local as the official node images have them, and this machine's
// extra certificate authorities.
//
// debootstrap takes minutes, so its result is kept as a tarball in the system temp dir, named after the
// suite, the package list and the month (a month-old root filesystem is rebuilt); a clean machine makes
// it on first use. The tarball is written under a temporary name and renamed when complete.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureNodeRuntime, withRetry } from "./node-runtime.js";

const run = promisify(execFile);

const SUITE = "bookworm";
const MIRROR = "http://deb.debian.org/debian";
/** What the image's runtime stage needs (its apt step is then skipped). */
const PACKAGES = ["ca-certificates", "wireguard-tools", "wireguard-go", "iproute2"];
const CACHE_PREFIX = "wgfleet-container-base-";
/** Where Debian's update-ca-certificates takes local certificate authorities from. */
const EXTRA_CAS = "/usr/local/share/ca-certificates";

/** The cached root filesystem's tarball for this suite, package list and month. */
export function rootfsCachePath(now = new Date()): string {
  const key = createHash("sha256")
    .update([SUITE, MIRROR, ...PACKAGES].join("\n"))
    .digest("hex")
    .slice(0, 12);
  return join(tmpdir(), `${CACHE_PREFIX}${SUITE}-${key}-${now.toISOString().slice(0, 7)}.tar`);
}

/** debootstrap into a temp dir, packed into the cache (older cached tarballs are removed). */
async function ensureRootfs(work: string, log: (line: string) => void): Promise<string> {
  const cached = rootfsCachePath();
  if (existsSync(cached)) return cached;
  for (const entry of await readdir(tmpdir())) {
    if (entry.startsWith(CACHE_PREFIX)) await rm(join(tmpdir(), entry), { force: true });
  }
  const started = Date.now();
  const rootfs = join(work, "rootfs");
  await withRetry(
    "debootstrap",
    async () => {
      await rm(rootfs, { recursive: true, force: true });
      await run(
        "debootstrap",
        ["--variant=minbase", `--include=${PACKAGES.join(",")}`, SUITE, rootfs, MIRROR],
        { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 },
      );
    },
    { log },
  );
  // The package cache and lists are of no use in the image (the Dockerfile runs apt-get update first).
  for (const dir of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
    await rm(join(rootfs, dir), { recursive: true, force: true });
    await mkdir(join(rootfs, dir, "partial"), { recursive: true });
  }
  const partial = `${cached}.partial-${process.pid}`;
  try {
    await run("tar", ["--numeric-owner", "-C", rootfs, "-cf", partial, "."]);
    await rename(partial, cached);
  } finally {
    await rm(partial, { force: true });
    await rm(rootfs, { recursive: true, force: true });
  }
  log(`debootstrap ${SUITE} in ${Math.round((Date.now() - started) / 1000)} s`);
  return cached;
}

/** A build context whose usr/local holds Node `major` (the npm `node` package) and this machine's npm. */
async function stageNode(context: string, major: number, log: (line: string) => void): Promise<void> {
  const runtime = await ensureNodeRuntime(major, log);
  const local = join(context, "usr", "local");
  await mkdir(join(local, "bin"), { recursive: true });
  await mkdir(join(local, "include"), { recursive: true });
  await mkdir(join(local, "lib", "node_modules"), { recursive: true });
  await cp(runtime.node, join(local, "bin", "node"));
  await cp(join(runtime.headers, "include", "node"), join(local, "include", "node"), { recursive: true });
  const { stdout } = await run("npm", ["root", "-g"]);
  await cp(join(stdout.trim(), "npm"), join(local, "lib", "node_modules", "npm"), { recursive: true });
  await symlink("../lib/node_modules/npm/bin/npm-cli.js", join(local, "bin", "npm"));
  await symlink("../lib/node_modules/npm/bin/npx-cli.js", join(local, "bin", "npx"));
  // This machine's own extra certificate authorities (an egress proxy's that re-signs TLS), so npm in
  // the image build trusts the registry as npm here does; without them: SELF_SIGNED_CERT_IN_CHAIN.
  if (existsSync(EXTRA_CAS)) await cp(EXTRA_CAS, join(context, EXTRA_CAS), { recursive: true });
}

/**
 * Makes `image` (e.g. localhost/wgfleet-test-base:PID) in the podman storage `podman` names: the
 * debootstrap root filesystem with Node `major` in /usr/local. Returns it.
 */
export async function makeBaseImage(
  podman: string[],
  image: string,
  work: string,
  major: number,
  log: (line: string) => void,
): Promise<string> {
  const rootfs = await ensureRootfs(work, log);
  const debian = `${image}-debian`;
  await run("podman", [...podman, "import", "--quiet", rootfs, debian]);
  const context = join(work, "base-context");
  await stageNode(context, major, log);
  const containerfile = join(work, "Containerfile.base");
  await writeFile(
    containerfile,
    [
      `FROM ${debian}`,
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "COPY usr/ /usr/",
      // Node uses its own CA list; this adds the system's, which now holds the machine's extra ones.
      "RUN update-ca-certificates",
      "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt",
      "",
    ].join("\n"),
  );
  await run("podman", [
    ...podman,
    "build",
    "--quiet",
    "--network",
    "host",
    "--tag",
    image,
    "--file",
    containerfile,
    context,
  ]);
  return image;
}
