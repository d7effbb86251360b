// The revision of an interface's desired state: one more for every change, bumped first in the
// change's transaction, so the interface row's lock makes changes of one interface one-at-a-time
// across dashboard processes, and a node can tell a newer desired state from an older one.
import type { Db } from "../db/index.js";
import type { InterfaceRepository } from "./interface.repository.js";

export class InterfaceRevisions {
  constructor(
    private readonly db: Db,
    private readonly interfaces: InterfaceRepository,
  ) {}

  /**
   * One transaction: the interface's next revision, then `work` inside the same transaction (its
   * writes go through `trx`). Returns the new revision with what `work` returned.
   */
  async change<T>(
    interfaceId: string,
    work: (trx: Db, revision: number) => Promise<T>,
  ): Promise<{ revision: number; result: T }> {
    return this.db.transaction().execute(async (trx) => {
      const revision = await this.interfaces.bumpRevision(interfaceId, trx);
      return { revision, result: await work(trx, revision) };
    });
  }

  /**
   * One transaction: the next revision of every one of these interfaces (in id order, so two such
   * changes never wait on each other's locks), then `work` with them. For a change every interface's
   * desired state follows from (a configuration's default schedule), or new peers on several
   * interfaces at once (grouped creations).
   */
  async changeMany<T>(
    interfaceIds: readonly string[],
    work: (trx: Db, revisions: ReadonlyMap<string, number>) => Promise<T>,
  ): Promise<{ revisions: ReadonlyMap<string, number>; result: T }> {
    return this.db.transaction().execute(async (trx) => {
      const revisions =
        interfaceIds.length === 0
          ? new Map<string, number>()
          : await this.interfaces.bumpRevisions(interfaceIds, trx);
      return { revisions, result: await work(trx, revisions) };
    });
  }

  /** A revision bump with no other write (a node call that changes nothing in the database). */
  async next(interfaceId: string): Promise<number> {
    return this.interfaces.bumpRevision(interfaceId);
  }
}
