// Alerts over HTTP: the list (firing first, then resolved; `state` filters; viewers may read), the
// thresholds (defaults, an admin's change audited once, a bad value refused with its field and nothing
// changed, viewers refused).
import { afterAll, beforeAll, expect, it } from "vitest";
import { forEachEngine } from "../../../../../../test/support/databases.js";
import { insertNode } from "../../../db/test-support/rows.js";
import { createTestApp, type TestApp } from "../../test-support/test-app.js";

forEachEngine("alerts routes", (open) => {
  let t: TestApp;
  let viewerKey: string;
  beforeAll(async () => {
    t = await createTestApp(await open());
    viewerKey = await t.apiKeyFor(await t.createUser("viewer"));
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: "GET" | "PUT", url: string, payload?: object, key?: string) =>
    t.app.inject({ method, url, headers: t.bearer(key ?? t.adminKey), ...(payload ? { payload } : {}) });

  it("keeps the thresholds: defaults, a change audited once, bad values refused with nothing changed", async () => {
    expect((await call("GET", "/api/v1/alerts/settings")).json()).toEqual({
      poolFullPercent: 90,
      driftRepairsPerHour: 3,
      staleHandshakePercent: 50,
    });
    const settings = { poolFullPercent: 80, driftRepairsPerHour: 5, staleHandshakePercent: 25 };
    const saved = await call("PUT", "/api/v1/alerts/settings", settings);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual(settings);
    const audit = await t.context.services.audit.page({ action: "alert" });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      action: "alert.settings_update",
      changes: {
        poolFullPercent: { before: 90, after: 80 },
        staleHandshakePercent: { before: 50, after: 25 },
      },
    });

    for (const [field, value] of [
      ["poolFullPercent", 101],
      ["driftRepairsPerHour", 0],
      ["staleHandshakePercent", 12.5],
    ] as const) {
      const refused = await call("PUT", "/api/v1/alerts/settings", { ...settings, [field]: value });
      expect(refused.statusCode, field).toBe(400);
      expect(refused.json().error, field).toMatchObject({ code: "VALIDATION" });
      expect(refused.json().error.message, field).toContain(field);
    }
    const extra = await call("PUT", "/api/v1/alerts/settings", { ...settings, emailTo: "x" });
    expect(extra.statusCode).toBe(400);
    expect((await call("PUT", "/api/v1/alerts/settings", settings, viewerKey)).statusCode).toBe(403);
    expect((await call("GET", "/api/v1/alerts/settings")).json()).toEqual(settings);
    expect((await t.context.services.audit.page({ action: "alert" })).items).toHaveLength(1);
  });

  it("lists firing alerts first, then resolved ones, and filters by state", async () => {
    const { db } = t.context;
    const gone = await insertNode(db, { name: "gone", status: "offline" });
    await t.context.services.alertEngine.evaluate();
    await db.updateTable("nodes").set({ status: "online" }).where("id", "=", gone).execute();
    await t.context.services.alertEngine.evaluate();
    const down = await insertNode(db, { name: "down", status: "offline", status_reason: "timeout" });
    await t.context.services.alertEngine.evaluate();

    const all = await call("GET", "/api/v1/alerts", undefined, viewerKey);
    expect(all.statusCode).toBe(200);
    expect(all.json().firing).toBe(1);
    expect(all.json().items.map((a: { subject: string; state: string }) => [a.subject, a.state])).toEqual([
      [down, "firing"],
      [gone, "resolved"],
    ]);
    expect(all.json().items[0]).toMatchObject({
      kind: "node.offline",
      summary: "node down is offline: timeout",
      resolvedAt: null,
      details: { node: "down", reason: "timeout" },
    });
    const resolved = await call("GET", "/api/v1/alerts?state=resolved");
    expect(resolved.json().items.map((a: { subject: string }) => a.subject)).toEqual([gone]);
    expect((await call("GET", "/api/v1/alerts?state=gone")).statusCode).toBe(400);
  });
});
