// The peer table's search, filters and sort, done in the browser over the rows already loaded, so a
// keystroke narrows 10,000 rows without a request. Same meaning as the API's `search`: the name or an
// address contains the text (any case), or the public key starts with it (exact case).
import type { Peer, PeerStatusFilter } from "../api/types.js";

export type PeerSortKey =
  | "name"
  | "node"
  | "addresses"
  | "status"
  | "latestHandshake"
  | "rx"
  | "tx"
  | "expires"
  | "enabled";
export type SortDirection = "asc" | "desc";
/** The API's status filters (the same words), "" for any. */
export type StatusFilter = "" | PeerStatusFilter;

export interface PeerFilters {
  search: string;
  /** A node id; "" for every node. */
  node: string;
  status: StatusFilter;
}

export interface PeerSort {
  key: PeerSortKey;
  direction: SortDirection;
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
const searchText = new WeakMap<Peer, string>();

function haystack(peer: Peer): string {
  let text = searchText.get(peer);
  if (text === undefined) {
    text = `${peer.name}\n${peer.addresses.join("\n")}`.toLowerCase();
    searchText.set(peer, text);
  }
  return text;
}

/** Whether the peer's expiry time has come (as the API's `expired` filter: at or before now). */
export function isExpired(peer: Pick<Peer, "expiresAt">, now: number = Date.now()): boolean {
  return peer.expiresAt !== null && Date.parse(peer.expiresAt) <= now;
}

function matchesStatus(peer: Peer, status: StatusFilter, now: number): boolean {
  switch (status) {
    case "":
      return true;
    case "online":
      return peer.online;
    case "offline":
      return !peer.online;
    case "enabled":
      return peer.enabled;
    case "disabled":
      return !peer.enabled;
    case "expired":
      return isExpired(peer, now);
    case "suspended":
      // As the API's filter: the node reports it keeps the peer off (expired, schedule, quota).
      return peer.suspension !== null;
    default:
      return peer.state === status;
  }
}

export function peerMatches(peer: Peer, filters: PeerFilters, now: number = Date.now()): boolean {
  if (filters.node && peer.node !== filters.node) return false;
  if (!matchesStatus(peer, filters.status, now)) return false;
  const search = filters.search.trim();
  if (!search) return true;
  return haystack(peer).includes(search.toLowerCase()) || peer.publicKey.startsWith(search);
}

export function hasFilters(filters: PeerFilters): boolean {
  return filters.search.trim() !== "" || filters.node !== "" || filters.status !== "";
}

/** An address as a sortable string: IPv4 octets zero-padded, IPv6 groups expanded. */
export function addressSortKey(addresses: readonly string[]): string {
  const first = addresses[0];
  if (!first) return "";
  const address = first.split("/")[0] ?? "";
  if (address.includes("."))
    return `4:${address
      .split(".")
      .map((o) => o.padStart(3, "0"))
      .join(".")}`;
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = address.includes("::") ? Array(Math.max(0, 8 - left.length - right.length)).fill("0") : [];
  return `6:${[...left, ...zeros, ...right].map((g) => g.padStart(4, "0")).join(":")}`;
}

function statusRank(peer: Peer): number {
  if (!peer.enabled) return 0;
  if (peer.state !== "active") return 1;
  return peer.online ? 3 : 2;
}

function compareBy(key: PeerSortKey): (a: Peer, b: Peer) => number {
  switch (key) {
    case "name":
      return (a, b) => collator.compare(a.name, b.name);
    case "node":
      return (a, b) => collator.compare(a.node, b.node);
    case "addresses": {
      const keys = new WeakMap<Peer, string>();
      const keyOf = (peer: Peer) => {
        let value = keys.get(peer);
        if (value === undefined) {
          value = addressSortKey(peer.addresses);
          keys.set(peer, value);
        }
        return value;
      };
      return (a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0);
    }
    case "status":
      return (a, b) => statusRank(a) - statusRank(b);
    case "latestHandshake":
      return (a, b) => (a.latestHandshake ?? "").localeCompare(b.latestHandshake ?? "");
    case "rx":
      return (a, b) => a.rx - b.rx;
    case "tx":
      return (a, b) => a.tx - b.tx;
    case "expires":
      // Soonest first; never-expiring peers after every dated one.
      return (a, b) => (a.expiresAt ?? "\uffff").localeCompare(b.expiresAt ?? "\uffff");
    case "enabled":
      return (a, b) => Number(a.enabled) - Number(b.enabled);
  }
}

/** A new array, sorted by the key (ties by name, then id), in the direction asked. */
export function sortPeers(peers: readonly Peer[], sort: PeerSort): Peer[] {
  const primary = compareBy(sort.key);
  const sign = sort.direction === "asc" ? 1 : -1;
  return [...peers].sort((a, b) => {
    const first = primary(a, b) * sign;
    if (first !== 0) return first;
    return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

export function filterPeers(sorted: readonly Peer[], filters: PeerFilters, now: number = Date.now()): Peer[] {
  if (!hasFilters(filters)) return sorted as Peer[];
  return sorted.filter((peer) => peerMatches(peer, filters, now));
}
