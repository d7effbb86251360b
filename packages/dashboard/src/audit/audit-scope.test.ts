import { describe, expect, it } from "vitest";
import { type AuditRequest, AuditScope, currentAuditScope, runInAuditScope } from "./audit-scope.js";

const request = (overrides: Partial<AuditRequest> = {}): AuditRequest => ({
  method: "POST",
  route: "/api/v1/webhooks/:id/test",
  params: { id: "hook-1" },
  bodyFields: ["url", "secret"],
  user: "admin",
  apiKey: null,
  address: "127.0.0.1",
  status: 200,
  ...overrides,
});

describe("AuditScope", () => {
  it("turns a write no service described into one entry named after its route, field names only", () => {
    expect(new AuditScope().close(request())).toEqual({
      actor: "admin",
      action: "POST /api/v1/webhooks/:id/test",
      entity: "webhook",
      target: "hook-1",
      details: { fields: ["url", "secret"] },
      changes: null,
      address: "127.0.0.1",
      apiKey: null,
    });
  });

  it("makes one entry of several events: the first, the others listed under also", () => {
    const scope = new AuditScope();
    scope.add("admin", {
      action: "peer.delete",
      target: "a",
      changes: { name: { before: "a", after: null } },
    });
    scope.add("admin", { action: "peer.delete", target: "b" });
    const entry = scope.close(request({ route: "/api/v1/peers/bulk", params: {} }));
    expect(entry).toMatchObject({
      action: "peer.delete",
      entity: "peer",
      target: "a",
      details: { also: [{ action: "peer.delete", target: "b" }] },
      changes: { name: { before: "a", after: null } },
    });
  });

  it("leaves nothing for a failed request unless an event was a refused attempt", () => {
    const failed = new AuditScope();
    failed.add("admin", { action: "peer.update", target: "a" });
    expect(failed.close(request({ status: 502 }))).toBeNull();

    const login = new AuditScope();
    login.add("mallory", { action: "session.login_failed", refused: true, details: { password: "guess" } });
    expect(login.close(request({ status: 401, user: null, route: "/api/v1/session" }))).toMatchObject({
      actor: "mallory",
      action: "session.login_failed",
      details: { password: "[redacted]" },
    });
  });

  it("is the current scope inside its run until closed", async () => {
    const scope = new AuditScope();
    expect(currentAuditScope()).toBeUndefined();
    await runInAuditScope(scope, async () => {
      await Promise.resolve();
      expect(currentAuditScope()).toBe(scope);
      scope.close(request());
      expect(currentAuditScope()).toBeUndefined();
    });
  });
});
