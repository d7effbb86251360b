// Waiting for the fleet to reach a state (a node going offline, a ping coming back): poll a check until
// it holds, and fail with what was awaited and the last value seen. Never a fixed sleep in a test.
import { sleep } from "./managed-process.js";

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Resolves with the first truthy result of `check`; throws after the timeout (default 30 s). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  what: string,
  options: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(options.intervalMs ?? 200);
  }
  const seen = last instanceof Error ? last.message : JSON.stringify(last);
  throw new Error(`timed out waiting for ${what} (last: ${seen})`);
}

/** Runs `work` over `items` with at most `limit` at a time; results in the items' order. */
export async function mapLimit<I, O>(
  items: readonly I[],
  limit: number,
  work: (item: I, index: number) => Promise<O>,
): Promise<PromiseSettledResult<O>[]> {
  const results: PromiseSettledResult<O>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await work(items[index] as I, index) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
