// A dashboard app on a test database, for route tests of every area: the real services and hooks,
// an admin user, helpers to log in, make users and API keys, and the log lines it wrote (so a test
// can search them for secrets). Nothing is mocked; the local node is off unless a transport is given.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { LightMyRequestResponse } from "fastify";
import type { Role } from "../../auth/actor.js";
import type { LoginRateLimitSettings } from "../../auth/login-rate-limiter.js";
import type { Clock } from "../../clock.js";
import { DEFAULT_SESSION } from "../../config/settings.js";
import type { Db } from "../../db/index.js";
import { createLogger } from "../../logging/logger.js";
import { SecretBox } from "../../secrets/secret-box.js";
import { createAppContext } from "../../services.js";
import type { NodeTransport } from "../../transport/node-transport.js";
import { buildApp } from "../app.js";
import type { AppConfig, AppContext } from "../context.js";
import { CSRF_HEADER, SESSION_COOKIE } from "../session-cookie.js";
import type { TypedApp } from "../types.js";

export interface TestDatabase {
  db: Db;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  clock?: Clock;
  loginRateLimit?: LoginRateLimitSettings;
  localTransport?: NodeTransport;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: Role;
}

export interface CookieLogin {
  /** The value for a `cookie` request header. */
  cookie: string;
  csrfToken: string;
}

export interface TestApp {
  app: TypedApp;
  context: AppContext;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  admin: TestUser;
  /** The admin's API key (Bearer: no CSRF needed). */
  adminKey: string;
  createUser(role: Role, username?: string): Promise<TestUser>;
  apiKeyFor(user: TestUser): Promise<string>;
  login(user: Pick<TestUser, "username" | "password">): Promise<CookieLogin>;
  /** Headers for an API-key request. */
  bearer(key: string): Record<string, string>;
  /** Headers for a cookie request, with the CSRF token. */
  cookieHeaders(login: CookieLogin, withCsrf?: boolean): Record<string, string>;
  close(): Promise<void>;
}

export const TEST_CONFIG: AppConfig = {
  cookieSecure: false,
  trustProxy: false,
  metricsToken: null,
  session: DEFAULT_SESSION,
  localNode: { enabled: false, unavailableReason: "local node off in this test" },
  version: "0.0.0-test",
};

let userCounter = 0;

export async function createTestApp(database: TestDatabase, options: TestAppOptions = {}): Promise<TestApp> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(
        ...String(chunk)
          .split("\n")
          .filter((line) => line.length > 0),
      );
      done();
    },
  });
  const context = await createAppContext({
    db: database.db,
    dataDir: database.dataDir,
    secrets: SecretBox.fromKey(randomBytes(32)),
    logger: createLogger({ level: "debug", destination: sink }),
    config: { ...TEST_CONFIG, ...options.config },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.loginRateLimit ? { loginRateLimit: options.loginRateLimit } : {}),
    ...(options.localTransport ? { localTransport: options.localTransport } : {}),
  });
  const app = await buildApp(context);
  await app.ready();

  const createUser = async (role: Role, username?: string): Promise<TestUser> => {
    const name = username ?? `${role}${++userCounter}`;
    const password = `pw-${randomBytes(9).toString("base64url")}`;
    const user = await context.services.users.create(
      { username: name, password, role, mustChangePassword: false },
      "test",
    );
    return { id: user.id, username: name, password, role };
  };
  const apiKeyFor = async (user: TestUser) =>
    (await context.services.apiKeys.create({ userId: user.id, name: "test" }, "test")).key;
  const admin = await createUser("admin", "admin");

  return {
    app,
    context,
    logs,
    admin,
    adminKey: await apiKeyFor(admin),
    createUser,
    apiKeyFor,
    login: async (user) => {
      const response = await app.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { username: user.username, password: user.password },
      });
      if (response.statusCode !== 200)
        throw new Error(`login failed: ${response.statusCode} ${response.body}`);
      return { cookie: sessionCookieOf(response), csrfToken: response.json().csrfToken };
    },
    bearer: (key) => ({ authorization: `Bearer ${key}` }),
    cookieHeaders: (login, withCsrf = true) => ({
      cookie: login.cookie,
      ...(withCsrf ? { [CSRF_HEADER]: login.csrfToken } : {}),
    }),
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** "wgfleet_session=<token>" from a login answer's Set-Cookie. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie in the answer");
  return `${SESSION_COOKIE}=${cookie.value}`;
}
