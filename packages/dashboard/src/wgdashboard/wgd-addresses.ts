// WGDashboard's free-address answers over a configuration's pools: each interface address (gateway with
// the pool's prefix) and the host addresses in it no peer and no gateway holds.
import {
  type ConfigurationDto,
  cidrContains,
  firstUsable,
  formatAddress,
  lastUsable,
  type PeerDto,
  parseAddress,
  parseCidr,
} from "@wgfleet/core";

/** WGDashboard lists at most this many free addresses per pool (its getAvailableIP threshold). */
export const AVAILABLE_LIST_LIMIT = 255;

function usedValues(configuration: ConfigurationDto, peers: readonly PeerDto[]): Set<string> {
  const used = new Set<string>();
  const add = (text: string) => {
    const address = parseAddress(text.split("/")[0] ?? "");
    used.add(`${address.version}:${address.value}`);
  };
  for (const iface of configuration.interfaces) iface.addresses.forEach(add);
  for (const peer of peers) peer.addresses.forEach(add);
  return used;
}

/** `{ "198.51.100.1/27": ["198.51.100.2/32", …] }`, up to `limit` per pool. */
export function availableAddresses(
  configuration: ConfigurationDto,
  peers: readonly PeerDto[],
  limit = AVAILABLE_LIST_LIMIT,
): Record<string, string[]> {
  const used = usedValues(configuration, peers);
  const answer: Record<string, string[]> = {};
  for (const iface of configuration.interfaces) {
    for (const poolText of iface.addresses) {
      const pool = parseCidr(poolText);
      const free: string[] = [];
      const last = lastUsable(pool).value;
      for (let value = firstUsable(pool).value; value <= last && free.length < limit; value++) {
        if (used.has(`${pool.address.version}:${value}`)) continue;
        const host = formatAddress({ version: pool.address.version, value });
        free.push(`${host}/${pool.address.version === 4 ? 32 : 128}`);
      }
      answer[poolText] = free;
    }
  }
  return answer;
}

/** `{ "198.51.100.1/27": 28 }`: how many host addresses each pool still has. */
export function availableCounts(
  configuration: ConfigurationDto,
  peers: readonly PeerDto[],
): Record<string, number> {
  const used = usedValues(configuration, peers);
  const answer: Record<string, number> = {};
  for (const iface of configuration.interfaces) {
    for (const poolText of iface.addresses) {
      const pool = parseCidr(poolText);
      const usable = lastUsable(pool).value - firstUsable(pool).value + 1n;
      let taken = 0n;
      for (const key of used) {
        const [version, value] = key.split(":");
        const address = { version: Number(version) as 4 | 6, value: BigInt(value ?? "0") };
        if (address.version === pool.address.version && cidrContains(pool, address)) taken++;
      }
      const free = usable - taken;
      answer[poolText] = Number(
        free > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : free,
      );
    }
  }
  return answer;
}

/** The node whose pool holds this address (explicit addresses decide the placement), or null. */
export function nodeOfAddress(configuration: ConfigurationDto, text: string): string | null {
  const address = parseAddress(text.split("/")[0] ?? "", "allowed_ips");
  for (const iface of configuration.interfaces) {
    for (const poolText of iface.addresses) {
      if (cidrContains(parseCidr(poolText), address)) return iface.nodeId;
    }
  }
  return null;
}
