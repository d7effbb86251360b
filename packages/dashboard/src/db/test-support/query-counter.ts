// Counts the statements a Kysely instance runs (every executed query, prepared ones included): a test
// of a cache says "the second read asked the database nothing" with it.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import type { Db } from "../index.js";

export class QueryCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.count++;
    return args.result;
  }

  /** The statements `run` made. */
  async during(run: () => Promise<unknown>): Promise<number> {
    const before = this.count;
    await run();
    return this.count - before;
  }
}

/** `db` with every statement run through it counted (the same connections underneath). */
export function countingDb(db: Db): { db: Db; queries: QueryCounter } {
  const queries = new QueryCounter();
  return { db: db.withPlugin(queries), queries };
}
