// A real OpenID Connect provider for tests: the `oidc-provider` package (a certified implementation)
// on a free loopback port, with one confidential client, the accounts a test names, and a plain
// sign-in page of its own (type the account's name, press Sign in) instead of the package's
// development pages, so a browser test drives it like a person and an HTTP test can post the form.
// Consent is granted without asking (a first-party client). stop() closes the server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

export interface TestAccount {
  /** The subject (sub claim); what the account's name is typed as on the sign-in page. */
  sub: string;
  preferred_username?: string;
  email?: string;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export interface TestOidcOptions {
  redirectUris: string[];
  accounts: TestAccount[];
  clientId?: string;
  clientSecret?: string;
}

export async function startTestOidcProvider(options: TestOidcOptions): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? "wgfleet-test";
  const clientSecret = options.clientSecret ?? "test-client-secret-0123456789abcdef";
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, configuration(options, clientId, clientSecret, accounts));
  const oidcHandler = provider.callback();
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", issuer);
    if (url.pathname === "/favicon.ico") return void res.writeHead(204).end();
    if (url.pathname.startsWith("/interaction/")) {
      interaction(provider, accounts, req, res).catch((error: Error) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(error.message);
      });
      return;
    }
    oidcHandler(req, res);
  });
  return { issuer, clientId, clientSecret, stop: () => close(server) };
}

function configuration(
  options: TestOidcOptions,
  clientId: string,
  clientSecret: string,
  accounts: Map<string, TestAccount>,
): Configuration {
  return {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: {
      openid: ["sub"],
      profile: ["preferred_username"],
      email: ["email"],
      groups: ["groups"],
    },
    scopes: ["openid", "profile", "email", "groups"],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["test-cookie-key-only-for-tests"] },
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
    // First-party client: everything asked for is granted, no consent page.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.account?.accountId;
      const client = ctx.oidc.client;
      if (!accountId || !client) return undefined;
      const grantId = ctx.oidc.session?.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId });
      grant.addOIDCScope("openid profile email groups");
      await grant.save();
      return grant;
    },
  };
}

/** GET: the sign-in page. POST: the account named in the form signs in (an unknown one sees the page again). */
async function interaction(
  provider: Provider,
  accounts: Map<string, TestAccount>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === "POST") {
    const form = new URLSearchParams(await bodyOf(req));
    const login = form.get("login") ?? "";
    if (accounts.has(login)) {
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    return page(res, details.uid, `No account "${escapeHtml(login)}".`);
  }
  page(res, details.uid, "");
}

function page(res: ServerResponse, uid: string, error: string): void {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<link rel="icon" href="data:,"><title>Test identity provider</title></head>
<body><h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}">
<label for="login">Account</label> <input id="login" name="login" autocomplete="off" autofocus>
<button type="submit">Sign in</button></form></body></html>`);
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/**
 * What a browser does at the provider, over plain HTTP: open the authorization URL, type the account
 * on the sign-in page, follow the redirects (keeping the provider's cookies) until the provider sends
 * the browser back to the client. Returns that URL (the redirect URI with code and state, or error).
 */
export async function signInAtProvider(
  authorizationUrl: string,
  account: string,
  maxSteps = 10,
): Promise<URL> {
  const cookies = new Map<string, string>();
  const origin = new URL(authorizationUrl).origin;
  let url = new URL(authorizationUrl);
  let body: string | undefined;
  for (let step = 0; step < maxSteps; step++) {
    if (url.origin !== origin) return url;
    const response = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      redirect: "manual",
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        ...(body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
      },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url);
      body = undefined;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action || body !== undefined)
      throw new Error(`the provider answered ${response.status}: ${html.slice(0, 300)}`);
    url = new URL(action, url);
    body = new URLSearchParams({ login: account }).toString();
  }
  throw new Error(`no redirect back to the client within ${maxSteps} steps`);
}
