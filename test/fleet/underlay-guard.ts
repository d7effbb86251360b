// Before a fleet touches the host: read `ip -j addr` and refuse to start when 198.18.0.0/16 overlaps an
// address the test support did not put there (a /30 with an owner record under /run/wgfleet-test).
// The uplink's 192.0.2.0/24 and fd00::/8 are never used, so they cannot collide.
import { runCommand } from "@wgfleet/wireguard";
import { readRecord } from "../support/ownership.js";
import { overlapsUnderlay, slotOf, UNDERLAY_CIDR } from "../support/underlay.js";

interface LinkAddresses {
  ifname: string;
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

/**
 * The addresses overlapping 198.18.0.0/16 that no test namespace claims, as "addr/len on ifname": the
 * host's, or (for the harness's own test) those of a namespace.
 */
export async function foreignUnderlayAddresses(options: { netns?: string } = {}): Promise<string[]> {
  const { stdout } = await runCommand("ip", ["-j", "-4", "address", "show"], options);
  const foreign: string[] = [];
  for (const link of JSON.parse(stdout) as LinkAddresses[]) {
    for (const addr of link.addr_info ?? []) {
      if (addr.family !== "inet" || !overlapsUnderlay(addr.local, addr.prefixlen)) continue;
      const slot = slotOf(addr.local);
      const claimed =
        addr.prefixlen >= 30 && slot !== null && (await readRecord("slot", String(slot))) !== null;
      if (!claimed) foreign.push(`${addr.local}/${addr.prefixlen} on ${link.ifname}`);
    }
  }
  return foreign;
}

export async function assertUnderlayFree(): Promise<void> {
  const foreign = await foreignUnderlayAddresses();
  if (foreign.length > 0) {
    throw new Error(
      `${UNDERLAY_CIDR} (the fleet underlay) overlaps ${foreign.join(", ")}, which the test harness did not make; refusing to start`,
    );
  }
}
