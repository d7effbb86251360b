// Every write under /api/ leaves exactly one audit entry: an onRequest hook (added before the auth hook,
// so a refused login is seen too) opens an audit scope that the request and every service it calls run
// in, and an onSend hook closes it into one entry, written before the answer leaves (a client that reads
// the audit right after its change finds it). See audit/audit-scope.ts for what goes into the entry.
import type { FastifyReply, FastifyRequest } from "fastify";
import { AuditScope, runInAuditScope } from "../audit/audit-scope.js";
import { isWriteMethod } from "../auth/actor.js";
import type { AppContext } from "./context.js";
import type { TypedApp } from "./types.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The write request's audit scope; null for reads and outside /api/. */
    auditScope: AuditScope | null;
  }
}

export function registerAudit(app: TypedApp, context: AppContext): void {
  app.decorateRequest("auditScope", null);
  app.addHook("onRequest", (request, _reply, done) => {
    if (!isAudited(request)) return done();
    const scope = new AuditScope();
    request.auditScope = scope;
    runInAuditScope(scope, done);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    const scope = request.auditScope;
    if (scope?.open) {
      const entry = scope.close(auditRequest(request, reply));
      if (entry) {
        await context.services.audit.write(entry).catch((error: unknown) => {
          request.log.error({ err: error, action: entry.action }, "audit entry not written");
        });
      }
    }
    return payload;
  });
}

function isAudited(request: FastifyRequest): boolean {
  if (!isWriteMethod(request.method)) return false;
  // The WGDashboard-compatible API may live under a prefix (its APP_PREFIX): audited all the same.
  return (
    (request.routeOptions.url ?? "").startsWith("/api/") ||
    request.routeOptions.config?.auth === "wgdashboard"
  );
}

function auditRequest(request: FastifyRequest, reply: FastifyReply) {
  // `actor` is null on public routes and before authentication succeeded.
  const actor = request.actor as FastifyRequest["actor"] | null;
  const body = request.body;
  return {
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    params: (request.params ?? {}) as Record<string, unknown>,
    bodyFields: body !== null && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : [],
    user: actor?.username ?? null,
    apiKey: actor?.apiKeyName ?? null,
    address: request.ip,
    status: reply.statusCode,
  };
}
