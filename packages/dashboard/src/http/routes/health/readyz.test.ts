// /readyz says not ready (503), naming the failing check, when a migration is missing or the local
// node was asked for but cannot run; /healthz stays a liveness check and answers 200 meanwhile.
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../../../../test/support/databases.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

describe("GET /readyz", () => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it("is 503 with the pending migration named when one is not applied", async () => {
    t = await createTestApp(await openTestDatabase("sqlite"));
    const last = (
      await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
        t.context.db,
      )
    ).rows[0]?.name as string;
    await sql`delete from kysely_migration where name = ${last}`.execute(t.context.db);
    const response = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      ready: false,
      checks: { database: { ok: true }, migrations: { ok: false, detail: `pending: ${last}` } },
    });
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("is 503 when the local node is enabled but cannot run, and 200 when it is off by choice", async () => {
    t = await createTestApp(await openTestDatabase("sqlite"), {
      config: { localNode: { enabled: true, unavailableReason: "wireguard module missing" } },
    });
    const response = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.localNode).toEqual({ ok: false, detail: "wireguard module missing" });
    await t.close();
    t = await createTestApp(await openTestDatabase("sqlite"), {
      config: { localNode: { enabled: false, unavailableReason: null } },
    });
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).json()).toMatchObject({
      ready: true,
      checks: { localNode: { ok: true, detail: "off" } },
    });
  });
});
