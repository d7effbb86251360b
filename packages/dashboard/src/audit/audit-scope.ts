// One HTTP write request's audit entry. The HTTP layer opens a scope for every write (POST, PUT, PATCH,
// DELETE under /api/); while it is open, AuditService.record attaches what the services know (action,
// entity, target, changed fields) to it instead of writing, and when the answer goes out the scope
// becomes exactly one entry: the first event a service attached (the others listed under `also`), or,
// when none did, one named after the route. A failed request leaves no entry unless an event was marked
// `refused` (a failed login). Work that outlives the request (a background job it started) writes on
// its own once the scope is closed. Built on AsyncLocalStorage so services need no request parameter.
import { AsyncLocalStorage } from "node:async_hooks";
import { type AuditChanges, redactChanges } from "./audit-changes.js";
import { redactSecrets } from "./redaction.js";

export interface AuditEvent {
  action: string;
  /** What kind of thing `target` is; the action's first part ("peer" of "peer.update") when not given. */
  entity?: string;
  target?: string | null;
  changes?: AuditChanges;
  details?: object;
  /** Kept although the request fails: a refused attempt worth knowing of (a failed login). */
  refused?: boolean;
}

export interface AuditRequest {
  method: string;
  /** The route's pattern: "/api/v1/peers/:id". */
  route: string;
  params: Readonly<Record<string, unknown>>;
  /** The JSON body's field names (never its values). */
  bodyFields: readonly string[];
  /** The authenticated user's name; null before login. */
  user: string | null;
  apiKey: string | null;
  address: string;
  status: number;
}

/** An entry as written: times and JSON text filled in by the service. */
export interface AuditEntryDraft {
  actor: string;
  action: string;
  entity: string | null;
  target: string | null;
  details: object | null;
  changes: AuditChanges | null;
  address: string | null;
  apiKey: string | null;
}

/** At most this many further events of one request are listed (a bulk action over 10,000 peers). */
const MAX_ALSO = 100;

export class AuditScope {
  private readonly events: Array<AuditEvent & { actor: string }> = [];
  private closed = false;

  get open(): boolean {
    return !this.closed;
  }

  add(actor: string, event: AuditEvent): void {
    this.events.push({ ...event, actor });
  }

  /** Closes the scope; the request's one entry, or null when it leaves none. */
  close(request: AuditRequest): AuditEntryDraft | null {
    this.closed = true;
    const failed = request.status >= 400;
    const events = failed ? this.events.filter((event) => event.refused === true) : this.events;
    if (failed && events.length === 0) return null;
    const [primary, ...others] = events;
    const event = primary ?? routeEvent(request);
    const details: Record<string, unknown> = { ...(event.details ?? {}) };
    if (others.length > 0) {
      details.also = others
        .slice(0, MAX_ALSO)
        .map(({ action, target }) => ({ action, target: target ?? null }));
      if (others.length > MAX_ALSO) details.alsoCount = others.length;
    }
    return {
      actor: request.user ?? primary?.actor ?? "anonymous",
      action: event.action,
      entity: event.entity ?? entityOfAction(event.action),
      target: event.target ?? null,
      details: Object.keys(details).length === 0 ? null : (redactSecrets(details) as object),
      changes: event.changes ? redactChanges(event.changes) : null,
      address: request.address,
      apiKey: request.apiKey,
    };
  }
}

const storage = new AsyncLocalStorage<AuditScope>();

/** The open scope of the request this code runs for, if any. */
export function currentAuditScope(): AuditScope | undefined {
  const scope = storage.getStore();
  return scope?.open ? scope : undefined;
}

/** Runs `fn` (and everything it starts) inside `scope`. */
export function runInAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function entityOfAction(action: string): string | null {
  const [first] = action.split(".");
  return first && first !== action ? first : null;
}

/** For a write no service described: named after its route, with the body's field names. */
function routeEvent(request: AuditRequest): AuditEvent {
  const segment = request.route.replace(/^\/api\/(v\d+\/)?/, "").split("/")[0] ?? "";
  const target = request.params.id ?? request.params.name;
  return {
    action: `${request.method} ${request.route}`,
    entity: segment.replace(/s$/, "") || "api",
    target: typeof target === "string" ? target : null,
    ...(request.bodyFields.length > 0 ? { details: { fields: [...request.bodyFields] } } : {}),
  };
}
