// A configuration's peers in the browser: the first 100 at once (so the table shows rows fast), the
// rest in pages of 500 through the API's cursor, then kept fresh by refreshing one page per poll —
// the page most of the visible rows came from, alternating with the others in turn. One request per
// interval, however many peers. A sign that the set of peers changed elsewhere (another total, an
// unknown peer, a missing one) reloads the list in the background and swaps it in when complete.
// `rows` is never changed in place: every change assigns a new array, so every view computed from it
// (sorted or not, filtered or not) sees the change — a view that hands the same array on would
// otherwise stop its own dependents from updating.
import { ref, shallowRef } from "vue";
import { api } from "../api/client.js";
import type { Peer } from "../api/types.js";
import { messageOf } from "./form-errors.js";

export const FIRST_PAGE_SIZE = 100;
/** The API's largest page. */
export const PAGE_SIZE = 500;

interface PageIndex {
  /** The cursor that fetches page k (undefined for the first). */
  cursors: Array<string | undefined>;
  /** The limit page k was fetched with. */
  limits: number[];
  pageOf: Map<string, number>;
  indexOf: Map<string, number>;
}

function emptyIndex(): PageIndex {
  return { cursors: [], limits: [], pageOf: new Map(), indexOf: new Map() };
}

export function usePeerList(configuration: () => string) {
  const rows = shallowRef<Peer[]>([]);
  const total = ref(0);
  const complete = ref(false);
  const loading = ref(false);
  const error = ref("");
  let index = emptyIndex();
  let generation = 0;
  let tick = 0;

  function rebuild(list: Peer[], next: PageIndex): void {
    next.indexOf = new Map(list.map((peer, i) => [peer.id, i]));
    index = next;
  }

  /** Loads every page; shows rows as they come when `progressive`, else swaps in the full list at the end. */
  async function load(progressive = rows.value.length === 0): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    const name = configuration();
    const next = emptyIndex();
    let list: Peer[] = [];
    let cursor: string | undefined;
    try {
      do {
        const limit = next.cursors.length === 0 ? FIRST_PAGE_SIZE : PAGE_SIZE;
        const page = await api.listPeers(name, { limit, ...(cursor ? { cursor } : {}) });
        if (mine !== generation) return;
        const pageNumber = next.cursors.length;
        next.cursors.push(cursor);
        next.limits.push(limit);
        for (const peer of page.items) next.pageOf.set(peer.id, pageNumber);
        list = list.concat(page.items);
        total.value = page.total;
        if (progressive) {
          rows.value = list;
          rebuild(list, next);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      rows.value = list;
      rebuild(list, next);
      complete.value = true;
      error.value = "";
    } catch (caught) {
      if (mine === generation) error.value = messageOf(caught);
      throw caught;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function pageToRefresh(visibleIds: readonly string[]): number {
    const pages = index.cursors.length;
    tick++;
    const counts = new Map<number, number>();
    for (const id of visibleIds) {
      const page = index.pageOf.get(id);
      if (page !== undefined) counts.set(page, (counts.get(page) ?? 0) + 1);
    }
    const visible = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    if (pages <= 1 || tick % 2 === 1) return visible;
    return Math.floor(tick / 2) % pages;
  }

  /** One poll: refreshes one page in place; reloads everything when the set of peers changed. */
  async function refresh(visibleIds: readonly string[], signal?: AbortSignal): Promise<void> {
    if (!complete.value || loading.value) return;
    const mine = generation;
    const page = pageToRefresh(visibleIds);
    const cursor = index.cursors[page];
    const answer = await api.listPeers(
      configuration(),
      { limit: index.limits[page] ?? PAGE_SIZE, ...(cursor ? { cursor } : {}) },
      signal,
    );
    if (mine !== generation) return;
    const list = rows.value.slice();
    let changed = answer.total !== total.value;
    const answered = new Set<string>();
    for (const peer of answer.items) {
      answered.add(peer.id);
      const at = index.indexOf.get(peer.id);
      if (at === undefined) changed = true;
      else list[at] = peer;
    }
    // A peer this page had that the answer lacks was deleted (or pushed to the next page by a new
    // one): either way the pages moved, so reload. A needless reload costs requests, never rows.
    for (const [id, pageNumber] of index.pageOf) if (pageNumber === page && !answered.has(id)) changed = true;
    rows.value = list;
    if (changed) await load(false);
  }

  /** After this page changed a peer itself: show it at once. */
  function replace(peer: Peer): void {
    const at = index.indexOf.get(peer.id);
    if (at === undefined) return;
    const list = rows.value.slice();
    list[at] = peer;
    rows.value = list;
  }

  /** After this page created a peer: it shows at once; its place in the pages is settled by later polls. */
  function add(peer: Peer): void {
    if (index.indexOf.has(peer.id)) {
      replace(peer);
      return;
    }
    const list = [...rows.value, peer];
    index.pageOf.set(peer.id, Math.max(0, index.cursors.length - 1));
    rows.value = list;
    rebuild(list, index);
    total.value++;
  }

  function remove(id: string): void {
    if (!index.indexOf.has(id)) return;
    const list = rows.value.filter((peer) => peer.id !== id);
    index.pageOf.delete(id);
    rows.value = list;
    rebuild(list, index);
    total.value = Math.max(0, total.value - 1);
  }

  return { rows, total, complete, loading, error, load, refresh, add, replace, remove };
}
