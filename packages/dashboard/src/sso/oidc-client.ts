// The dashboard as an OpenID Connect relying party, over openid-client: discovery (cached, retried
// after a failure), the authorization URL with PKCE (S256), state and nonce, and the code exchange
// that checks all three and the ID token. Plain http is accepted only from a loopback issuer (a
// provider on this host); anything else must be https.
import type * as oidc from "openid-client";
import type { OidcSettings } from "../config/sign-in-settings.js";

/** Seconds one request to the provider may take. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export interface AuthorizationRequest {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface ExpectedChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type Claims = Readonly<Record<string, unknown>> & { sub: string };

/** openid-client, loaded when single sign-on is first used, not at start (most set-ups have none). */
function loadOpenid(): Promise<typeof oidc> {
  return import("openid-client");
}

export class OidcClient {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(private readonly settings: OidcSettings) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  /** Reads the provider's metadata (once; again after a failure). Throws when it cannot. */
  discover(): Promise<oidc.Configuration> {
    this.configuration ??= this.fetchConfiguration().catch((error: unknown) => {
      this.configuration = null;
      throw error;
    });
    return this.configuration;
  }

  async authorizationRequest(redirectUri: string): Promise<AuthorizationRequest> {
    const config = await this.discover();
    const openid = await loadOpenid();
    const codeVerifier = openid.randomPKCECodeVerifier();
    const state = openid.randomState();
    const nonce = openid.randomNonce();
    const url = openid.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      response_type: "code",
      code_challenge: await openid.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /**
   * Exchanges the code the provider sent back to `callbackUrl` and returns the ID token's claims, with
   * the userinfo's added when the role claim is not in the ID token. Throws on any failed check.
   */
  async finish(callbackUrl: URL, expected: ExpectedChecks): Promise<Claims> {
    const config = await this.discover();
    const openid = await loadOpenid();
    const tokens = await openid.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error("the provider returned no ID token");
    if (claims[this.settings.roleClaim] !== undefined || !config.serverMetadata().userinfo_endpoint) {
      return claims as Claims;
    }
    const userinfo = await openid.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { ...userinfo, ...claims } as Claims;
  }

  private async fetchConfiguration(): Promise<oidc.Configuration> {
    const openid = await loadOpenid();
    const issuer = new URL(this.settings.issuer);
    const config = await openid.discovery(
      issuer,
      this.settings.clientId,
      undefined,
      openid.ClientSecretBasic(this.settings.clientSecret),
      {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        ...(issuer.protocol === "http:" && isLoopback(issuer.hostname)
          ? { execute: [openid.allowInsecureRequests] }
          : {}),
      },
    );
    config.timeout = PROVIDER_TIMEOUT_SECONDS;
    return config;
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
