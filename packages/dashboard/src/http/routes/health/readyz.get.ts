// GET /readyz — unauthenticated readiness for a load balancer: the database answers, every migration
// this build knows is applied, and the local node runs when it was asked to. 200 or 503, each check named.
import { Type } from "@sinclair/typebox";
import { pingDatabase } from "../../../db/connection.js";
import { appliedMigrations } from "../../../db/migrate.js";
import { migrations } from "../../../db/migrations/index.js";
import type { AppContext } from "../../context.js";
import type { TypedApp } from "../../types.js";

const Check = Type.Object({
  ok: Type.Boolean(),
  detail: Type.String(),
});

const ReadySchema = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ database: Check, migrations: Check, localNode: Check }),
});

type CheckResult = { ok: boolean; detail: string };

export function readyzRoute(app: TypedApp, context: AppContext): void {
  app.get(
    "/readyz",
    {
      config: { auth: "public" },
      schema: {
        tags: ["health"],
        summary: "Readiness: database, migrations, local node",
        security: [],
        response: { 200: ReadySchema, 503: ReadySchema },
      },
    },
    async (request, reply) => {
      const database = await databaseCheck(context);
      const checks = {
        database,
        migrations: database.ok ? await migrationsCheck(context) : { ok: false, detail: "not checked" },
        localNode: localNodeCheck(context),
      };
      const ready = checks.database.ok && checks.migrations.ok && checks.localNode.ok;
      if (!ready) request.log.warn({ checks }, "not ready");
      return reply.code(ready ? 200 : 503).send({ ready, checks });
    },
  );
}

async function databaseCheck(context: AppContext): Promise<CheckResult> {
  try {
    await pingDatabase(context.db);
    return { ok: true, detail: "reachable" };
  } catch {
    return { ok: false, detail: "unreachable" };
  }
}

async function migrationsCheck(context: AppContext): Promise<CheckResult> {
  try {
    const applied = new Set(await appliedMigrations(context.db));
    const pending = Object.keys(migrations).filter((name) => !applied.has(name));
    return pending.length === 0
      ? { ok: true, detail: `${applied.size} applied` }
      : { ok: false, detail: `pending: ${pending.join(", ")}` };
  } catch {
    return { ok: false, detail: "cannot read the migration table" };
  }
}

/** Off by choice (--no-local) is ready; asked for but unable to run WireGuard is not. */
function localNodeCheck(context: AppContext): CheckResult {
  const { enabled, unavailableReason } = context.config.localNode;
  if (!enabled) return { ok: true, detail: unavailableReason ?? "off" };
  return unavailableReason ? { ok: false, detail: unavailableReason } : { ok: true, detail: "running" };
}
