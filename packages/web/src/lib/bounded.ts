// Runs one async task per item with at most `limit` running at once, and reports each item's outcome
// (a failure does not stop the others). The bulk actions on selected peers use it with a limit of 1
// (one call after another) until the API has a bulk route: the dashboard applies each change to the
// live interface, and a long selection must not crowd out everyone else's requests.
export interface Outcome<T, R> {
  done: Array<{ item: T; result: R }>;
  failed: Array<{ item: T; error: unknown }>;
  /** Items never started because the signal aborted. */
  skipped: T[];
}

export interface RunOptions {
  /** Stops starting new items (those running finish). */
  signal?: AbortSignal;
  /** After each item settles: how many have, so far. */
  onProgress?: (settled: number) => void;
}

export async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  options: RunOptions = {},
): Promise<Outcome<T, R>> {
  const outcome: Outcome<T, R> = { done: [], failed: [], skipped: [] };
  let next = 0;
  let settled = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !options.signal?.aborted) {
      const item = items[next++] as T;
      try {
        outcome.done.push({ item, result: await task(item) });
      } catch (error) {
        outcome.failed.push({ item, error });
      }
      options.onProgress?.(++settled);
    }
  };
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  outcome.skipped = items.slice(next);
  return outcome;
}
