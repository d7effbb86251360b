// Group commit behind a KeyedMutex: work items for one key queue up while the key's lock is held by
// someone else, and whoever takes the lock next takes every item waiting (up to a bound) as one batch.
// A lone item runs as soon as the lock is free, so nothing waits on a timer; under load, N requests
// that would have taken the lock N times take it once. Each caller gets its own item's answer.
import type { KeyedMutex } from "./keyed-mutex.js";

/** One batch's answers, in the order of its items: a value or the error for that item alone. */
export type BatchOutcome<R> = Array<{ value: R } | { error: unknown }>;

interface Waiting<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export class LockBatches<I, R> {
  private readonly queues = new Map<string, Array<Waiting<I, R>>>();

  constructor(
    private readonly locks: KeyedMutex,
    /** Runs holding the key's lock; answers every item, in order (never throws for one item). */
    private readonly runBatch: (key: string, items: I[]) => Promise<BatchOutcome<R>>,
    private readonly maxBatch = 64,
  ) {}

  run(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  /** Takes the lock once per batch until the key's queue is empty (items arriving meanwhile join it). */
  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key) as Array<Waiting<I, R>>;
    while (queue.length > 0) {
      await this.locks.run(key, async () => {
        const batch = queue.splice(0, this.maxBatch);
        try {
          const outcome = await this.runBatch(
            key,
            batch.map((waiting) => waiting.item),
          );
          batch.forEach((waiting, i) => {
            const answer = outcome[i];
            if (answer && "value" in answer) waiting.resolve(answer.value);
            else waiting.reject(answer ? answer.error : new Error("the batch gave no answer for this item"));
          });
        } catch (error) {
          for (const waiting of batch) waiting.reject(error);
        }
      });
    }
    this.queues.delete(key);
  }
}
