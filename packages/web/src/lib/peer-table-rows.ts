// The rows the peer table shows, in order: the loaded peers, sorted when a column is (the API's order
// otherwise), then filtered. Recomputed whenever the peer list assigns new rows, the sort or a filter
// changes — and only then, so a 10,000-row sort is not redone on scroll.
import { type ComputedRef, computed, type Ref } from "vue";
import type { Peer } from "../api/types.js";
import { filterPeers, type PeerFilters, type PeerSort, sortPeers } from "./peer-view.js";

export function usePeerTableRows(
  rows: Readonly<Ref<readonly Peer[]>>,
  sort: Readonly<Ref<PeerSort | null>>,
  filters: PeerFilters,
  /** The clock the `expired` filter compares with (the table ticks it). */
  now: Readonly<Ref<number>>,
): ComputedRef<readonly Peer[]> {
  const sorted = computed(() => (sort.value ? sortPeers(rows.value, sort.value) : rows.value));
  return computed(() => filterPeers(sorted.value, filters, now.value));
}
