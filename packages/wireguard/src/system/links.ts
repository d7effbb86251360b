// Reads and changes the link itself (`ip link`, `ip address`): existence, up/down, MTU, addresses.
// "Does not exist" is an answer (null, logged at debug only), every other failure is an error.
import { formatCidr, parseCidr } from "@wgfleet/core";
import { CommandError } from "../errors.js";
import type { Runner } from "./runner.js";

export interface LinkState {
  ifindex: number;
  up: boolean;
  mtu: number;
  /** "wireguard" (kernel module), "tun" (wireguard-go), or another link type. */
  kind: string | null;
}

interface IpLinkJson {
  ifindex: number;
  flags?: string[];
  mtu?: number;
  linkinfo?: { info_kind?: string };
}

interface IpAddrJson {
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

export function isMissingDevice(error: unknown): boolean {
  if (!(error instanceof CommandError)) return false;
  return /does not exist|cannot find device|no such device/i.test(error.stderr);
}

export async function readLink(run: Runner, name: string): Promise<LinkState | null> {
  try {
    const { stdout } = await run("ip", ["-j", "-d", "link", "show", "dev", name], {
      expectedFailure: isMissingDevice,
    });
    const link = (JSON.parse(stdout) as IpLinkJson[])[0];
    if (!link) return null;
    return {
      ifindex: link.ifindex,
      up: (link.flags ?? []).includes("UP"),
      mtu: link.mtu ?? 0,
      kind: link.linkinfo?.info_kind ?? null,
    };
  } catch (error) {
    if (isMissingDevice(error)) return null;
    throw error;
  }
}

/** The interface's global addresses as canonical CIDR text ("198.51.100.1/24"); link-local skipped. */
export async function readAddresses(run: Runner, name: string): Promise<string[]> {
  const { stdout } = await run("ip", ["-j", "address", "show", "dev", name]);
  const links = JSON.parse(stdout) as IpAddrJson[];
  return links
    .flatMap((link) => link.addr_info ?? [])
    .filter((a) => a.scope !== "link" && (a.family === "inet" || a.family === "inet6"))
    .map((a) => canonicalCidr(`${a.local}/${a.prefixlen}`));
}

export function canonicalCidr(text: string): string {
  return formatCidr(parseCidr(text));
}

/** What to add and delete so that `current` becomes `desired` (both canonical). */
export function addressChanges(current: readonly string[], desired: readonly string[]) {
  const want = new Set(desired.map(canonicalCidr));
  const have = new Set(current);
  return { add: [...want].filter((a) => !have.has(a)), remove: current.filter((a) => !want.has(a)) };
}

export async function syncAddresses(run: Runner, name: string, desired: readonly string[]): Promise<void> {
  const { add, remove } = addressChanges(await readAddresses(run, name), desired);
  for (const cidr of remove) await run("ip", ["address", "del", cidr, "dev", name]);
  for (const cidr of add) await run("ip", ["address", "add", cidr, "dev", name]);
}

/** Sets the MTU when it differs and brings the link up when it is down; otherwise does nothing. */
export async function syncLink(run: Runner, name: string, link: LinkState, mtu: number | undefined) {
  const args = ["link", "set", "dev", name];
  if (mtu !== undefined && link.mtu !== mtu) args.push("mtu", String(mtu));
  if (!link.up) args.push("up");
  if (args.length > 4) await run("ip", args);
}

export async function deleteLink(run: Runner, name: string): Promise<boolean> {
  try {
    await run("ip", ["link", "del", "dev", name], { expectedFailure: isMissingDevice });
    return true;
  } catch (error) {
    if (isMissingDevice(error)) return false;
    throw error;
  }
}

/** Names of every link in the namespace. */
export async function listLinkNames(run: Runner): Promise<Set<string>> {
  const { stdout } = await run("ip", ["-j", "link", "show"]);
  return new Set((JSON.parse(stdout) as Array<{ ifname: string }>).map((l) => l.ifname));
}
