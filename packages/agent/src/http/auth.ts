// Who may call the agent: a request signed with a current or previous shared secret (core's scheme,
// checked over the raw request line and body bytes), or — for GET /metrics only — the metrics bearer
// token. The header half runs before any body byte is read. Holds the secrets; never logs them.
import { timingSafeEqual } from "node:crypto";
import {
  checkSignatureHeaders,
  NonceCache,
  type PendingSignature,
  UnauthorizedError,
  verifyRequest,
} from "@wgfleet/core";

export interface SignedRequest {
  method: string;
  /** As received on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export class Authenticator {
  private readonly nonces = new NonceCache();

  constructor(
    private secrets: ReadonlyMap<string, string>,
    private metricsToken: string | null = null,
  ) {}

  /** Swaps in re-read secrets (SIGHUP), e.g. to finish a rotation. */
  setSecrets(secrets: ReadonlyMap<string, string>, metricsToken: string | null): void {
    this.secrets = secrets;
    this.metricsToken = metricsToken;
  }

  /**
   * Key id, timestamp and nonce from the headers alone (throws SignatureError naming the check); the
   * answer's `finish(bodySha256)` checks the signature and only then records the nonce.
   */
  checkHeaders(request: Omit<SignedRequest, "body">): PendingSignature {
    return checkSignatureHeaders({
      method: request.method,
      pathWithQuery: request.url,
      headers: request.headers,
      secrets: this.secrets,
      nonces: this.nonces,
    });
  }

  /** Throws SignatureError naming the failed check; returns the key id. */
  verify(request: SignedRequest): string {
    return verifyRequest({
      method: request.method,
      pathWithQuery: request.url,
      body: request.body,
      headers: request.headers,
      secrets: this.secrets,
      nonces: this.nonces,
    }).keyId;
  }

  /** true when the request carries the metrics bearer token; UnauthorizedError when it carries a wrong one. */
  hasMetricsToken(authorization: string | undefined): boolean {
    if (authorization === undefined) return false;
    const match = /^Bearer (.+)$/i.exec(authorization);
    if (!match || this.metricsToken === null || !sameText(match[1] as string, this.metricsToken)) {
      throw new UnauthorizedError("metrics bearer token rejected");
    }
    return true;
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}
