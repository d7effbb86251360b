// Test-only: ends a replica's listening connection from the server side, as a network failure would.
import pg from "pg";
import { CACHE_LISTENER_APPLICATION } from "../postgres-cache-invalidation.js";

/** Ends the replica's listening backend and waits until it is gone; false when there was none. */
export async function terminateListener(url: string, replicaId: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>(
      "select pg_terminate_backend(pid, 5000) as ended from pg_stat_activity where application_name = $1",
      [`${CACHE_LISTENER_APPLICATION} ${replicaId}`],
    );
    return rows.length === 1 && rows[0]?.ended === true;
  } finally {
    await client.end();
  }
}
