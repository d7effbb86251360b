import { ValidationError } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachEngine, type OpenedDatabase } from "../../../../test/support/databases.js";
import { AuditRepository } from "./audit.repository.js";
import { AuditService, redactSecrets } from "./audit.service.js";
import { fieldChanges } from "./audit-changes.js";
import { AuditScope, runInAuditScope } from "./audit-scope.js";

forEachEngine("AuditService", (open) => {
  let opened: OpenedDatabase;
  let audit: AuditService;
  beforeAll(async () => {
    opened = await open();
    audit = new AuditService(new AuditRepository(opened.db));
  });
  afterAll(async () => {
    await opened?.close();
  });

  it("records entries and lists them newest first, details parsed", async () => {
    const before = new Date().toISOString();
    await audit.record("admin", "configuration.create", "corp", { mtu: 1420, dns: ["198.51.100.53"] });
    await audit.record("admin", "peer.create", "peer-1");
    await audit.record("cli", "user.add");

    const entries = await audit.list({ limit: 3 });
    expect(entries.map((entry) => [entry.actor, entry.action, entry.target])).toEqual([
      ["cli", "user.add", null],
      ["admin", "peer.create", "peer-1"],
      ["admin", "configuration.create", "corp"],
    ]);
    expect(entries[2]?.details).toEqual({ mtu: 1420, dns: ["198.51.100.53"] });
    expect(entries[0]?.details).toBeNull();
    for (const entry of entries) {
      expect(typeof entry.id).toBe("number");
      expect(entry.at >= before).toBe(true);
      expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it("pages with `before` (the previous page's last id)", async () => {
    for (let i = 0; i < 5; i++) await audit.record("admin", "page.test", `t${i}`);
    const first = await audit.list({ limit: 2 });
    const second = await audit.list({ limit: 2, before: first[1]?.id });
    expect(first.map((entry) => entry.target)).toEqual(["t4", "t3"]);
    expect(second.map((entry) => entry.target)).toEqual(["t2", "t1"]);
  });

  it("records inside a transaction and rolls back with it", async () => {
    await opened.db
      .transaction()
      .execute(async (trx) => {
        await new AuditService(new AuditRepository(trx)).record("admin", "rolled.back");
        throw new Error("abort");
      })
      .catch(() => {});
    const entries = await audit.list({ limit: 500 });
    expect(entries.some((entry) => entry.action === "rolled.back")).toBe(false);
  });

  it("never stores secret-looking detail fields", async () => {
    await audit.record("admin", "node.create", "edge-1", {
      name: "edge-1",
      secret: "node-secret-value",
      nested: { privateKey: "private-key-value", publicKey: "public-key-value" },
      list: [{ password: "password-value" }],
    });
    const [entry] = await audit.list({ limit: 1 });
    const stored = JSON.stringify(entry);
    for (const secret of ["node-secret-value", "private-key-value", "password-value"]) {
      expect(stored).not.toContain(secret);
    }
    expect(entry?.details).toEqual({
      name: "edge-1",
      secret: "[redacted]",
      nested: { privateKey: "[redacted]", publicKey: "public-key-value" },
      list: [{ password: "[redacted]" }],
    });
  });

  it("filters by actor or key name, entity (and target), action prefix and time, and pages with the cursor", async () => {
    // The test before may have written its entry in this very millisecond: `from: start` would include
    // it. Start once the clock has moved past it.
    await new Promise((resolve) => setTimeout(resolve, 2));
    const start = new Date().toISOString();
    const scope = new AuditScope();
    await runInAuditScope(scope, () =>
      audit.recordEvent("ignored-service-actor", { action: "peer.update", target: "filter-peer" }),
    );
    const draft = scope.close({
      method: "PATCH",
      route: "/api/v1/peers/:id",
      params: { id: "filter-peer" },
      bodyFields: ["name"],
      user: "filter-admin",
      apiKey: "filter-key",
      address: "198.18.0.9",
      status: 200,
    });
    if (!draft) throw new Error("the scope left no entry");
    await audit.write(draft);
    await audit.record("system", "peer.expire", "filter-peer");
    await audit.record("filter-admin", "node.update", "filter-node");

    const byKey = await audit.page({ actor: "filter-key" });
    expect(byKey.items.map((e) => [e.actor, e.apiKey, e.action, e.address])).toEqual([
      ["filter-admin", "filter-key", "peer.update", "198.18.0.9"],
    ]);
    const byActor = await audit.page({ actor: "filter-admin", from: start });
    expect(byActor.items.map((e) => e.action)).toEqual(["node.update", "peer.update"]);
    const onePeer = await audit.page({ entity: "peer:filter-peer" });
    expect(onePeer.items.map((e) => e.action)).toEqual(["peer.expire", "peer.update"]);
    expect((await audit.page({ action: "node", from: start })).items.map((e) => e.target)).toEqual([
      "filter-node",
    ]);
    expect((await audit.page({ action: "peer.update", from: start })).items).toHaveLength(1);
    expect((await audit.page({ from: "2999-01-01T00:00:00Z" })).items).toEqual([]);
    expect((await audit.page({ to: start })).items.every((e) => e.at < start)).toBe(true);

    const first = await audit.page({ from: start, limit: 2 });
    expect(first.nextCursor).not.toBeNull();
    const second = await audit.page({ from: start, limit: 2, cursor: first.nextCursor ?? "" });
    expect([...first.items, ...second.items].map((e) => e.action)).toEqual([
      "node.update",
      "peer.expire",
      "peer.update",
    ]);
    expect(second.nextCursor).toBeNull();
    for (const [options, field] of [
      [{ cursor: "abc" }, "cursor"],
      [{ from: "yesterday" }, "from"],
      [{ from: "2030-01-02T00:00:00Z", to: "2030-01-01T00:00:00Z" }, "to"],
    ] as const) {
      await expect(audit.page(options)).rejects.toMatchObject({ field });
    }
  });

  it("stores changed fields, secrets only as changed, and prunes by age", async () => {
    await audit.recordEvent("admin", {
      action: "node.update",
      target: "changes-node",
      changes: {
        ...fieldChanges(
          { weight: 100, secret: "old-node-secret" },
          { weight: 50, secret: "new-node-secret" },
        ),
        password: { before: "password-before", after: "password-after" },
      },
    });
    const [entry] = (await audit.page({ entity: "node:changes-node" })).items;
    expect(entry?.entity).toBe("node");
    expect(entry?.changes).toEqual({
      weight: { before: 100, after: 50 },
      secret: { changed: true },
      password: { changed: true },
    });
    expect(JSON.stringify(entry)).not.toMatch(
      /old-node-secret|new-node-secret|password-before|password-after/,
    );

    const old = new AuditService(new AuditRepository(opened.db), 30);
    await opened.db
      .insertInto("audit_log")
      .values({ at: "2001-01-01T00:00:00.000Z", actor: "system", action: "old.entry" })
      .execute();
    expect(await old.prune()).toBeGreaterThanOrEqual(1);
    expect((await audit.page({ action: "old" })).items).toEqual([]);
    expect((await audit.page({ entity: "node:changes-node" })).items).toHaveLength(1);
  });

  it("refuses a limit outside 1..500", async () => {
    for (const limit of [0, -1, 501, 1.5]) {
      await expect(audit.list({ limit })).rejects.toBeInstanceOf(ValidationError);
    }
  });
});

describe("redactSecrets", () => {
  it("redacts every kind of secret field name and keeps the rest", () => {
    const input = {
      presharedKey: "a",
      private_key_enc: "b",
      apiKey: "c",
      token: "d",
      csrfToken: "e",
      totpSecret: "f",
      key: "g",
      keyId: "kept",
      publicKey: "kept",
      count: 3,
    };
    expect(redactSecrets(input)).toEqual({
      presharedKey: "[redacted]",
      private_key_enc: "[redacted]",
      apiKey: "[redacted]",
      token: "[redacted]",
      csrfToken: "[redacted]",
      totpSecret: "[redacted]",
      key: "[redacted]",
      keyId: "kept",
      publicKey: "kept",
      count: 3,
    });
  });
});
