// What a fleet with a given prefix could leave on the machine, looked up the way a person would:
// `ip netns list`, `ip link` (the host ends of the veths), `pgrep -af` (wireguard-go for the fleet's
// interfaces, agents and dashboards naming the fleet's temp dir), /var/run/wireguard sockets, and the
// temp dirs themselves. Only reads; removing is the harness's job. What another test process that is
// still running owns (the same suite started by someone else, in parallel) is not ours to report: its
// namespaces carry an ownership record, its fleet dir an `owner` file.
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_RUN_DIR, runCommand } from "@wgfleet/wireguard";
import { isOwnerAlive, type Owner, readRecord } from "../../support/ownership.js";

const FLEET_DIR = "wgfleet-fleet-";

/** One line per thing left behind by fleets with these prefixes; empty when the machine is clean. */
export async function leftovers(prefixes: string[]): Promise<string[]> {
  const ours = async (name: string, namespace: string) =>
    prefixes.some((prefix) => name.startsWith(prefix)) && !(await namespaceOfAnotherRun(namespace));
  const found: string[] = [];
  for (const name of await namespaces()) {
    if (await ours(name, name)) found.push(`namespace ${name}`);
  }
  for (const name of await hostLinks()) {
    if (await ours(name, name.replace(/h$/, ""))) found.push(`host link ${name}`);
  }
  for (const line of await pgrep("wireguard-go")) {
    const interfaceName = line
      .split(/\s+/)
      .slice(2)
      .find((arg) => !arg.startsWith("-"));
    if (interfaceName && (await ours(interfaceName, namespaceOfInterface(interfaceName)))) {
      found.push(`process ${line}`);
    }
  }
  for (const prefix of prefixes) {
    for (const line of await pgrep(`${FLEET_DIR}${prefix}-`)) {
      const dir = fleetDirIn(line, prefix);
      if (!dir || !(await fleetDirOfAnotherRun(dir))) found.push(`process ${line}`);
    }
  }
  for (const file of await readdir(DEFAULT_RUN_DIR).catch(() => [] as string[])) {
    const name = file.replace(/\.sock$/, "");
    if (await ours(name, namespaceOfInterface(name))) found.push(`socket ${DEFAULT_RUN_DIR}/${file}`);
  }
  for (const entry of await readdir(tmpdir())) {
    if (!prefixes.some((prefix) => entry.startsWith(`${FLEET_DIR}${prefix}-`))) continue;
    const dir = join(tmpdir(), entry);
    if (!(await fleetDirOfAnotherRun(dir))) found.push(`temp dir ${dir}`);
  }
  return found;
}

/** Fleet interfaces are their namespace's name + "w" + a digit (nodes) or + "w" (clients). */
function namespaceOfInterface(name: string): string {
  return name.replace(/w\d?$/, "");
}

/** The fleet dir a command line names ("/tmp/wgfleet-fleet-e2-AbC123"), if any. */
function fleetDirIn(commandLine: string, prefix: string): string | null {
  const base = join(tmpdir(), `${FLEET_DIR}${prefix}-`);
  const start = commandLine.indexOf(base);
  if (start < 0) return null;
  return base + (commandLine.slice(start + base.length).split(/[/\s]/)[0] ?? "");
}

/** True when the namespace was made by another test process that still runs. */
async function namespaceOfAnotherRun(namespace: string): Promise<boolean> {
  const record = await readRecord("ns", namespace);
  return record !== null && (await isAnotherLiveProcess(record.owner));
}

async function fleetDirOfAnotherRun(dir: string): Promise<boolean> {
  const text = await readFile(join(dir, "owner"), "utf8").catch(() => null);
  if (text === null) return false;
  const [pid, startTime] = text.trim().split(" ");
  return isAnotherLiveProcess({ pid: Number(pid), startTime: startTime ?? "" });
}

async function isAnotherLiveProcess(owner: Owner): Promise<boolean> {
  return owner.pid !== process.pid && (await isOwnerAlive(owner));
}

async function namespaces(): Promise<string[]> {
  const { stdout } = await runCommand("ip", ["netns", "list"]);
  return stdout
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter(Boolean);
}

async function hostLinks(): Promise<string[]> {
  const { stdout } = await runCommand("ip", ["-j", "link", "show"]);
  return (JSON.parse(stdout || "[]") as Array<{ ifname: string }>).map((link) => link.ifname);
}

/** `pgrep -af` lines (pid and command line) for a fixed string; none when nothing matches. */
async function pgrep(text: string): Promise<string[]> {
  const pattern = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  try {
    const { stdout } = await runCommand("pgrep", ["-af", "--", pattern]);
    return stdout.split("\n").filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
