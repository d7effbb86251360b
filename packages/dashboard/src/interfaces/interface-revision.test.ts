// Revisions of several interfaces at once (grouped creations, configuration-wide changes), on both
// engines: each one bumped once by one statement, the new values handed to the work, nothing kept when
// the work fails; concurrent changes over overlapping sets in any order all complete, none lost.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { countingDb } from "../db/test-support/query-counter.js";
import { insertConfiguration, insertInterface, insertNode } from "../db/test-support/rows.js";
import { InterfaceRepository } from "./interface.repository.js";
import { InterfaceRevisions } from "./interface-revision.js";

forEachEngine("interface revisions", (open) => {
  let opened: OpenedDatabase | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  async function threeInterfaces() {
    opened = await open();
    const { db } = opened;
    const configuration = await insertConfiguration(db, { name: "office" });
    const ids: string[] = [];
    for (const [i, revision] of [5, 1, 9].entries()) {
      ids.push(
        await insertInterface(db, {
          configuration_id: configuration,
          node_id: await insertNode(db, { id: `node-${i}` }),
          name: `wg-${i}`,
          revision,
        }),
      );
    }
    return { db, ids };
  }

  const revisionsOf = async (repository: InterfaceRepository, ids: string[]) =>
    Promise.all(ids.map(async (id) => (await repository.findById(id))?.revision));

  it("bumps each interface once in one statement and hands the new revisions to the work", async () => {
    const { db, ids } = await threeInterfaces();
    const counted = countingDb(db);
    const repository = new InterfaceRepository(counted.db);
    const revisions = new InterfaceRevisions(counted.db, repository);
    let seen: ReadonlyMap<string, number> | undefined;
    const asked = await counted.queries.during(() =>
      revisions.changeMany([ids[2], ids[0], ids[1], ids[0]] as string[], async (_trx, bumped) => {
        seen = bumped;
      }),
    );
    expect(asked).toBe(1);
    expect(Object.fromEntries(seen ?? [])).toEqual({
      [ids[0] as string]: 6,
      [ids[1] as string]: 2,
      [ids[2] as string]: 10,
    });
    expect(await revisionsOf(repository, ids)).toEqual([6, 2, 10]);
  });

  it("keeps nothing when the work fails", async () => {
    const { db, ids } = await threeInterfaces();
    const repository = new InterfaceRepository(db);
    const revisions = new InterfaceRevisions(db, repository);
    await expect(
      revisions.changeMany(ids, async () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await revisionsOf(repository, ids)).toEqual([5, 1, 9]);
  });

  it("concurrent changes of overlapping sets, in any order, all complete and none is lost", async () => {
    const { db, ids } = await threeInterfaces();
    const repository = new InterfaceRepository(db);
    const revisions = new InterfaceRevisions(db, repository);
    const orders = [ids, [...ids].reverse(), [ids[1], ids[2]], [ids[2], ids[0]]] as string[][];
    const changes = Array.from({ length: 24 }, (_, i) => orders[i % orders.length] as string[]);
    await Promise.all(
      changes.map((set) =>
        revisions.changeMany(set, async () => {
          // Holding the rows a moment: the changes overlap in time.
          await sleep(2);
        }),
      ),
    );
    const bumps = ids.map((id) => changes.filter((set) => set.includes(id)).length);
    expect(await revisionsOf(repository, ids)).toEqual([
      5 + (bumps[0] ?? 0),
      1 + (bumps[1] ?? 0),
      9 + (bumps[2] ?? 0),
    ]);
  });
});
