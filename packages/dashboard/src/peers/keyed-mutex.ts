// One at a time per key, in arrival order, inside this process: `auto` creations in one configuration
// pass selection and their `pending` insert one by one, so each sees the peers the one before it placed
// and a burst spreads evenly instead of piling onto the node that looked emptiest to all of them.
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** `work` holding every key's lock, taken in sorted order so two holders of many keys never deadlock. */
  async runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(keys)].sort();
    if (first === undefined) return work();
    return this.run(first, () => this.runAll(rest, work));
  }
}
