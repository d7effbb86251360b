// What every route and hook can reach: the database, the secret box, the logger, the settings the
// HTTP layer needs, the metrics registry and the services. Built once by the composition root
// (src/server.ts, or a test's fixture); routes never construct services themselves.
import type { ApiKeyService } from "../apikeys/apikey.service.js";
import type { AuditService } from "../audit/audit.service.js";
import type { Authenticator } from "../auth/authenticator.js";
import type { LoginService } from "../auth/login.service.js";
import type { SessionService } from "../auth/session.service.js";
import type { SessionSettings, WgDashboardSettings } from "../config/settings.js";
import type { SignInSettings } from "../config/sign-in-settings.js";
import type { Db } from "../db/index.js";
import type { DomainEventBus } from "../events/index.js";
import type { Logger } from "../logging/logger.js";
import type { MetricsRegistry } from "../metrics/registry.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import type { ReplicaPresence } from "../replicas/replica-presence.js";
import type { SecretBox } from "../secrets/secret-box.js";
import type { SingleSignOn } from "../sso/index.js";
import type { TwoFactorService } from "../twofactor/two-factor.service.js";
import type { UserService } from "../users/user.service.js";

export interface AppConfig {
  /** Session cookies are always Secure (else only on requests that arrived over https). */
  cookieSecure: boolean;
  /** Trust X-Forwarded-For / -Proto from a reverse proxy. */
  trustProxy: boolean;
  /** `/metrics` demands this bearer token when set. */
  metricsToken: string | null;
  session: SessionSettings;
  /** The local node (`id: "local"`): whether this process manages it, and why not when it cannot. */
  localNode: { enabled: boolean; unavailableReason: string | null };
  /**
   * The dashboard's address for links it hands out (share links), without a trailing slash; when
   * absent, the address of the request that asks for one (X-Forwarded-* only with trustProxy).
   */
  publicUrl?: string | null;
  /** For the OpenAPI document. */
  version: string;
  /** Password sign-in and single sign-on; password sign-in only when absent. */
  signIn?: SignInSettings;
  /** The WGDashboard-compatible API; off when absent. */
  wgdashboard?: WgDashboardSettings;
}

/**
 * The services routes call. Auth's are here; each domain area adds its own fields below (an additive
 * edit, or `declare module "../http/context.js" { interface AppServices { ... } }`), and builds them in
 * `src/services.ts`.
 */
export interface AppServices {
  /** This process as a replica of the dashboard (its id, heartbeat, who owns a pending peer). */
  replica: ReplicaPresence;
  /** Caches of rows other replicas change are told of it (LISTEN/NOTIFY on PostgreSQL; none on SQLite). */
  cacheInvalidation: CacheInvalidation;
  audit: AuditService;
  users: UserService;
  apiKeys: ApiKeyService;
  sessions: SessionService;
  login: LoginService;
  twoFactor: TwoFactorService;
  authenticator: Authenticator;
  /** OpenID Connect sign-in; null when not configured. */
  sso: SingleSignOn | null;
  /** The domain event bus (events/): webhooks subscribe; later e-mail warnings. */
  events: DomainEventBus;
  // ---- domain services (configurations, interfaces, peers, stats, nodes) go below this line ----
}

export interface AppContext {
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  config: AppConfig;
  metrics: MetricsRegistry;
  services: AppServices;
}
