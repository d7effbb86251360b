// The container image (Dockerfile at the repository root), built and run with podman as CI does it: no
// registry is reachable, so the base is made here (container-base.ts: debootstrap bookworm + Node from
// the npm `node` package), then `podman build --build-arg BASE_IMAGE=<that base>` runs the Dockerfile's
// three stages (workspace build and pack, tarball install, runtime). The image's dashboard then serves a
// fleet whose node runs a real agent in a namespace: the same smoke as the installed packages (smoke.ts:
// a peer created through the dashboard is live on the agent and its client pings). Also checked: the
// image's settings (non-root user, volume, health check, listen address), the ambient CAP_NET_ADMIN the
// entrypoint hands to that user, and no build tooling in the image.
//
// podman here: the runc runtime, cgroupfs, default_ulimits at the machine's hard limits (its own
// defaults exceed what this machine allows), storage under the test's temp dir, and always the host's
// network (a podman network would add a bridge and firewall chains to the host). Everything podman made
// goes with the temp dir; only the debootstrap tarball stays in the temp dir as a cache.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerRun } from "../fleet/container-run.js";
import { cleanupStale, type Fleet, startFleet } from "../fleet/harness.js";
import { repoRoot } from "../fleet/run-from.js";
import { commandPrerequisite, missingPrerequisites, wireguardPrerequisites } from "../support/privileges.js";
import { makeBaseImage } from "./container-base.js";
import { createPeerAndPing } from "./smoke.js";

const run = promisify(execFile);
const skip = missingPrerequisites([
  ...wireguardPrerequisites(),
  commandPrerequisite("podman"),
  commandPrerequisite("runc"),
  commandPrerequisite("debootstrap"),
]);
const PREFIX = "ct";
/** The Node of the base: the major of the Dockerfile's default base (node:20-bookworm-slim). */
const NODE_MAJOR = 20;
/** debootstrap on a clean machine, the image build (npm ci, build, compiling SQLite), the fleet. */
const SETUP_TIMEOUT_MS = 1_200_000;
/** Build tooling that must not be in the image (devDependencies of the workspace). */
const DEV_TOOLING = ["vite", "vitest", "typescript", "tsx", "@vitejs", "@biomejs", "playwright-core"];
/** CAP_NET_ADMIN's bit in the capability sets of /proc/PID/status. */
const NET_ADMIN_BIT = 1n << 12n;

/**
 * containers.conf: the machine's hard limits as the containers' limits (podman's defaults, 1048576 open
 * files, exceed them and runc fails with "error setting rlimits for ready process: operation not
 * permitted"), runc, cgroupfs, and the network backend's files in the temp dir. conmon runs with at
 * most pid_max processes, so nproc is capped there.
 */
async function containersConf(file: string, networks: string): Promise<void> {
  const limits = await readFile("/proc/self/limits", "utf8");
  const hard = (name: string) => {
    const value = new RegExp(`^${name}\\s+\\S+\\s+(\\S+)`, "m").exec(limits)?.[1];
    return value === undefined || value === "unlimited" ? Number.POSITIVE_INFINITY : Number(value);
  };
  const pidMax = Number((await readFile("/proc/sys/kernel/pid_max", "utf8")).trim());
  const nofile = hard("Max open files");
  const nproc = Math.min(hard("Max processes"), pidMax);
  await writeFile(
    file,
    [
      "[containers]",
      `default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]`,
      "[engine]",
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      // The network backend's lock file goes here, not into /etc/cni/net.d (no network is used).
      "[network]",
      `network_config_dir = "${networks}"`,
      "",
    ].join("\n"),
  );
}

/** A TCP port on loopback that is free now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The capability sets of the container's first process, as bigints. */
function capabilities(status: string): Record<string, bigint> {
  const sets: Record<string, bigint> = {};
  for (const match of status.matchAll(/^Cap(\w+):\s*([0-9a-f]+)$/gm))
    sets[match[1] as string] = BigInt(`0x${match[2]}`);
  return sets;
}

describe.skipIf(skip)("the container image, built with podman on a locally made Debian base", () => {
  let work = "";
  let podman: string[] = [];
  let image = "";
  let version = "";
  let fleet: Fleet | null = null;
  let container: ContainerRun | null = null;
  const savedConf = process.env.CONTAINERS_CONF;
  const log = (line: string) => console.log(`container: ${line}`);
  const inImage = async (runOptions: string[], command: string[]) =>
    (await run("podman", [...podman, "run", "--rm", "--network", "host", ...runOptions, image, ...command]))
      .stdout;
  const current = () => {
    if (!fleet || !container) throw new Error("the fleet did not start (see the beforeAll error)");
    return { fleet, container };
  };

  beforeAll(async () => {
    const started = Date.now();
    await cleanupStale(PREFIX);
    work = await mkdtemp(join(tmpdir(), "wgfleet-container-"));
    await containersConf(join(work, "containers.conf"), join(work, "networks"));
    process.env.CONTAINERS_CONF = join(work, "containers.conf");
    podman = [
      "--root",
      join(work, "storage"),
      "--runroot",
      join(work, "run"),
      "--tmpdir",
      join(work, "libpod"),
      "--runtime",
      "runc",
      "--cgroup-manager",
      "cgroupfs",
      "--events-backend",
      "file",
    ];
    const tag = `${process.pid}`;
    const base = await makeBaseImage(podman, `localhost/wgfleet-test-base:${tag}`, work, NODE_MAJOR, log);
    log(`base image in ${Math.round((Date.now() - started) / 1000)} s`);
    const building = Date.now();
    image = `localhost/wgfleet-test:${tag}`;
    await run(
      "podman",
      [
        ...podman,
        "build",
        "--network",
        "host",
        // The docker format keeps HEALTHCHECK (OCI image configs have no field for it).
        "--format",
        "docker",
        "--build-arg",
        `BASE_IMAGE=${base}`,
        "--tag",
        image,
        "--file",
        join(repoRoot, "Dockerfile"),
        repoRoot,
      ],
      { maxBuffer: 256 * 1024 * 1024, timeout: SETUP_TIMEOUT_MS },
    );
    log(`image built in ${Math.round((Date.now() - building) / 1000)} s`);
    version = (await inImage([], ["wgfleet", "--version"])).trim();
    container = {
      podman,
      image,
      name: `wgfleet-test-${tag}`,
      // The health check is run by hand below: podman's periodic one needs systemd timers.
      runOptions: ["--health-interval", "disable"],
    };
    // The port in WGFLEET_LISTEN too: the image's health check reads it there.
    const listen = `127.0.0.1:${await freePort()}`;
    fleet = await startFleet({
      nodes: 1,
      prefix: PREFIX,
      dashboard: { container, listen, env: { WGFLEET_LISTEN: listen } },
    });
    await fleet.registerNodes();
    log(`set up in ${Math.round((Date.now() - started) / 1000)} s`);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await fleet?.stop();
    if (podman.length > 0) {
      // Containers first (their mounts), then the whole storage: nothing stays mounted under work.
      await run("podman", [...podman, "rm", "--all", "--force"]).catch(() => {});
      await run("podman", [...podman, "system", "reset", "--force"]).catch(() => {});
    }
    if (work) await rm(work, { recursive: true, force: true });
    if (savedConf === undefined) delete process.env.CONTAINERS_CONF;
    else process.env.CONTAINERS_CONF = savedConf;
  }, 180_000);

  it("is configured as documented: volume, non-root user in the entrypoint, health check, listen address", async () => {
    const { stdout } = await run("podman", [...podman, "image", "inspect", image]);
    // podman's inspect has the health check beside Config (the OCI config has no field for it).
    const [inspected] = JSON.parse(stdout) as Array<{
      Config: Record<string, unknown>;
      Healthcheck?: { Test: string[] };
    }>;
    const config = inspected?.Config ?? {};
    expect(Object.keys(config.Volumes as object)).toEqual(["/var/lib/wgfleet"]);
    expect(config.Env).toContain("WGFLEET_LISTEN=0.0.0.0:10086");
    expect(config.Env).toContain("WGFLEET_DATA_DIR=/var/lib/wgfleet");
    expect(config.Cmd).toEqual(["wgfleet", "serve"]);
    expect(inspected?.Healthcheck?.Test).toEqual(["CMD", "node", "/opt/wgfleet/container/healthcheck.mjs"]);
    for (const name of ["wgfleet", "wgfleet-agent"]) {
      expect((await inImage([], [name, "--version"])).trim(), name).toBe(version);
    }
  });

  it("runs the command as the user wgfleet, with CAP_NET_ADMIN as its only capability when given", async () => {
    const tun = ["--cap-add", "NET_ADMIN", "--device", "/dev/net/tun"];
    const withCap = await inImage(tun, ["sh", "-c", "id -un; cat /proc/self/status"]);
    expect(withCap.split("\n")[0]).toBe("wgfleet");
    const granted = capabilities(withCap);
    for (const set of ["Eff", "Prm", "Amb", "Bnd"]) expect(granted[set], set).toBe(NET_ADMIN_BIT);
    const without = await inImage([], ["sh", "-c", "id -un; cat /proc/self/status"]);
    expect(without.split("\n")[0]).toBe("wgfleet");
    expect(capabilities(without).Eff).toBe(0n);
  });

  it("holds the installed packages only: no build tooling", async () => {
    const found = await inImage(
      [],
      [
        "sh",
        "-c",
        `find /opt/wgfleet -type d \\( ${DEV_TOOLING.map((t) => `-name '${t}'`).join(" -o ")} \\)`,
      ],
    );
    expect(found.trim()).toBe("");
  });

  it("passes its own health check while the dashboard runs", async () => {
    const { container: running } = current();
    await run("podman", [...podman, "healthcheck", "run", running.name]);
  });

  it("creates a peer through the dashboard in the container on a real agent, and its client pings", async () => {
    await createPeerAndPing(current().fleet, "container");
  }, 60_000);
});
