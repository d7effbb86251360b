// A dashboard run from a container image (the container test): `podman run` in the foreground on the
// host's network, so the harness starts, signals and waits for it like any other dashboard process.
// The data dir is bind-mounted as the image's volume; the environment is passed by name only (`-e NAME`
// takes the value from podman's own environment, so no secret appears in an argument list).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The image's data volume. */
export const CONTAINER_DATA_DIR = "/var/lib/wgfleet";

export interface ContainerRun {
  /** podman's global options: the test's own storage (--root, --runroot) and so on. */
  podman: string[];
  image: string;
  /** The container's name, unique on the machine. */
  name: string;
  /** Extra `podman run` options (capabilities, devices). */
  runOptions?: string[];
}

/** The `podman run` argument list for `command` in the image, with the data dir at the volume. */
export function podmanRunArgs(
  container: ContainerRun,
  dataDir: string,
  envNames: string[],
  command: string[],
): string[] {
  return [
    ...container.podman,
    "run",
    "--rm",
    "--name",
    container.name,
    // Never a podman network: that adds a bridge and firewall chains to the host.
    "--network",
    "host",
    "--volume",
    `${dataDir}:${CONTAINER_DATA_DIR}`,
    ...envNames.flatMap((name) => ["--env", name]),
    ...(container.runOptions ?? []),
    container.image,
    ...command,
  ];
}

/** Removes the container if it still exists (after a SIGKILL to podman, conmon keeps it running). */
export async function removeContainer(container: ContainerRun): Promise<void> {
  await run("podman", [...container.podman, "rm", "--force", "--ignore", container.name]);
}
