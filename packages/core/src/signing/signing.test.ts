import { describe, expect, it } from "vitest";
import { UnauthorizedError } from "../errors.js";
import { canonicalRequest } from "./canonical.js";
import { SIGNATURE_HEADERS, SIGNATURE_WINDOW_MS } from "./headers.js";
import { NonceCache } from "./nonce-cache.js";
import { generateNonce, signRequest } from "./sign.js";
import { SignatureError, type SignatureFailure } from "./signature-error.js";
import { type HeaderBag, verifyRequest } from "./verify.js";

const NOW = 1_750_000_000_000;
const CURRENT = { keyId: "k2", secret: "current-secret-0123456789abcdef" };
const PREVIOUS = { keyId: "k1", secret: "previous-secret-fedcba9876543210" };
const secrets = new Map([
  [CURRENT.keyId, CURRENT.secret],
  [PREVIOUS.keyId, PREVIOUS.secret],
]);

const request = {
  method: "PUT",
  pathWithQuery: "/v1/interfaces/wg0/peers/abc%2Bdef%3D?revision=7",
  body: '{"allowedIps":["198.51.100.2/32"]}',
};

interface Case {
  name: string;
  reason: SignatureFailure;
  /** Signs with these overrides, then presents the request with `received` overrides. */
  signed?: Partial<{ now: number; keyId: string; secret: string }>;
  received?: Partial<{ method: string; pathWithQuery: string; body: string }>;
  headers?: (headers: HeaderBag) => HeaderBag;
  /** Runs one accepted request with the same headers first. */
  replay?: boolean;
}

function attempt(testCase: Case, nonces = new NonceCache()) {
  const signer = { ...CURRENT, now: NOW, ...testCase.signed };
  const headers: HeaderBag = signRequest({ ...request, ...signer });
  const presented = testCase.headers ? testCase.headers(headers) : headers;
  const received = { ...request, ...testCase.received };
  if (testCase.replay) verifyRequest({ ...received, headers: presented, secrets, nonces, now: NOW });
  return () => verifyRequest({ ...received, headers: presented, secrets, nonces, now: NOW });
}

const rejected: Case[] = [
  { name: "tampered body", reason: "bad_signature", received: { body: '{"allowedIps":["0.0.0.0/0"]}' } },
  {
    name: "tampered path",
    reason: "bad_signature",
    received: { pathWithQuery: "/v1/interfaces/wg1/peers/abc%2Bdef%3D?revision=7" },
  },
  {
    name: "tampered query",
    reason: "bad_signature",
    received: { pathWithQuery: "/v1/interfaces/wg0/peers/abc%2Bdef%3D?revision=8" },
  },
  {
    name: "query dropped",
    reason: "bad_signature",
    received: { pathWithQuery: "/v1/interfaces/wg0/peers/abc%2Bdef%3D" },
  },
  { name: "wrong method", reason: "bad_signature", received: { method: "DELETE" } },
  { name: "wrong secret for the key id", reason: "bad_signature", signed: { secret: "not-the-secret" } },
  {
    name: "signature of another key id",
    reason: "bad_signature",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.keyId]: PREVIOUS.keyId }),
  },
  {
    name: "signature not hex",
    reason: "bad_signature",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.signature]: "zz".repeat(32) }),
  },
  {
    name: "signature truncated",
    reason: "bad_signature",
    headers: (h) => ({
      ...h,
      [SIGNATURE_HEADERS.signature]: String(h[SIGNATURE_HEADERS.signature]).slice(0, 62),
    }),
  },
  {
    name: "nonce swapped",
    reason: "bad_signature",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.nonce]: generateNonce() }),
  },
  {
    name: "timestamp moved within the window",
    reason: "bad_signature",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.timestamp]: String(NOW + 1) }),
  },
  {
    name: "stale timestamp (61 s old)",
    reason: "stale_timestamp",
    signed: { now: NOW - SIGNATURE_WINDOW_MS - 1_000 },
  },
  { name: "stale timestamp (2 min old)", reason: "stale_timestamp", signed: { now: NOW - 120_000 } },
  {
    name: "future timestamp (61 s ahead)",
    reason: "future_timestamp",
    signed: { now: NOW + SIGNATURE_WINDOW_MS + 1_000 },
  },
  { name: "replayed nonce", reason: "replayed_nonce", replay: true },
  { name: "unknown key id", reason: "unknown_key_id", signed: { keyId: "k9" } },
  {
    name: "unparseable key id",
    reason: "unknown_key_id",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.keyId]: "k 1\n" }),
  },
  { name: "no headers at all", reason: "missing_headers", headers: () => ({}) },
  {
    name: "missing signature",
    reason: "missing_headers",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.signature]: undefined }),
  },
  {
    name: "missing nonce",
    reason: "missing_headers",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.nonce]: "" }),
  },
  {
    name: "repeated timestamp header",
    reason: "missing_headers",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.timestamp]: [String(NOW), String(NOW)] }),
  },
  {
    name: "timestamp not decimal",
    reason: "missing_headers",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.timestamp]: "1e12" }),
  },
  {
    name: "nonce too short",
    reason: "missing_headers",
    headers: (h) => ({ ...h, [SIGNATURE_HEADERS.nonce]: "abcd" }),
  },
];

describe("verifyRequest", () => {
  it.each(rejected)("rejects: $name -> $reason", (testCase) => {
    const nonces = new NonceCache();
    let caught: unknown;
    try {
      attempt(testCase, nonces)();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SignatureError);
    expect(caught).toBeInstanceOf(UnauthorizedError);
    const error = caught as SignatureError;
    expect(error.reason).toBe(testCase.reason);
    expect(error.status).toBe(401);
    expect(error.message).toContain(testCase.reason);
    for (const secret of secrets.values()) expect(error.message).not.toContain(secret);
  });

  it("never puts the expected signature in the message", () => {
    const headers = signRequest({ ...request, ...CURRENT, now: NOW });
    const expected = headers[SIGNATURE_HEADERS.signature] as string;
    const tampered = { ...headers, [SIGNATURE_HEADERS.signature]: "0".repeat(64) };
    const run = () =>
      verifyRequest({ ...request, headers: tampered, secrets, nonces: new NonceCache(), now: NOW });
    expect(run).toThrow(SignatureError);
    try {
      run();
    } catch (error) {
      expect((error as Error).message).not.toContain(expected);
      expect(JSON.stringify((error as SignatureError).toBody())).not.toContain(expected);
    }
  });

  it("accepts a well-signed request and returns its key id", () => {
    const headers = signRequest({ ...request, ...CURRENT, now: NOW });
    expect(verifyRequest({ ...request, headers, secrets, nonces: new NonceCache(), now: NOW })).toEqual({
      keyId: CURRENT.keyId,
    });
  });

  it("still accepts the previous key id during a rotation", () => {
    const headers = signRequest({ ...request, ...PREVIOUS, now: NOW });
    expect(verifyRequest({ ...request, headers, secrets, nonces: new NonceCache(), now: NOW })).toEqual({
      keyId: PREVIOUS.keyId,
    });
  });

  it("accepts timestamps up to the window on either side", () => {
    const nonces = new NonceCache();
    for (const skew of [-SIGNATURE_WINDOW_MS, SIGNATURE_WINDOW_MS]) {
      const headers = signRequest({ ...request, ...CURRENT, now: NOW + skew });
      expect(verifyRequest({ ...request, headers, secrets, nonces, now: NOW }).keyId).toBe(CURRENT.keyId);
    }
  });

  it("treats the method case-insensitively and header names case-insensitively", () => {
    const headers = signRequest({ ...request, method: "put", ...CURRENT, now: NOW });
    const upper = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(
      verifyRequest({ ...request, headers: upper, secrets, nonces: new NonceCache(), now: NOW }).keyId,
    ).toBe(CURRENT.keyId);
  });

  it("signs bytes and the same text identically", () => {
    const text = signRequest({ ...request, ...CURRENT, now: NOW, nonce: "a".repeat(32) });
    const bytes = signRequest({
      ...request,
      body: new TextEncoder().encode(request.body),
      ...CURRENT,
      now: NOW,
      nonce: "a".repeat(32),
    });
    expect(bytes).toEqual(text);
  });

  it("an empty body is signed as the SHA-256 of nothing", () => {
    const text = canonicalRequest({
      method: "get",
      pathWithQuery: "/v1/health",
      timestamp: "1",
      nonce: "n",
      body: "",
    });
    expect(text).toBe(
      "GET\n/v1/health\n1\nn\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("does not remember the nonce of a forged request", () => {
    const nonces = new NonceCache();
    const headers = signRequest({ ...request, ...CURRENT, now: NOW });
    const forged = { ...headers, [SIGNATURE_HEADERS.signature]: "0".repeat(64) };
    expect(() => verifyRequest({ ...request, headers: forged, secrets, nonces, now: NOW })).toThrow(
      SignatureError,
    );
    expect(nonces.size).toBe(0);
    expect(verifyRequest({ ...request, headers, secrets, nonces, now: NOW }).keyId).toBe(CURRENT.keyId);
  });

  it("refuses a replay for as long as its timestamp is acceptable, even when it was sent early", () => {
    const nonces = new NonceCache();
    const headers = signRequest({ ...request, ...CURRENT, now: NOW + 50_000 });
    verifyRequest({ ...request, headers, secrets, nonces, now: NOW });
    // 100 s later the timestamp (50 s ahead of the first check) is still inside the window.
    const replay = () => verifyRequest({ ...request, headers, secrets, nonces, now: NOW + 100_000 });
    expect(replay).toThrow(expect.objectContaining({ reason: "replayed_nonce" }));
  });

  it("refuses a cache whose window is shorter than the signature window", () => {
    const headers = signRequest({ ...request, ...CURRENT, now: NOW });
    const nonces = new NonceCache({ windowMs: 1_000 });
    expect(() => verifyRequest({ ...request, headers, secrets, nonces, now: NOW })).toThrow(RangeError);
  });
});

describe("signRequest", () => {
  it("produces the four headers with a 128-bit hex nonce and ms timestamp", () => {
    const headers = signRequest({ ...request, ...CURRENT, now: NOW });
    expect(Object.keys(headers).sort()).toEqual(Object.values(SIGNATURE_HEADERS).sort());
    expect(headers[SIGNATURE_HEADERS.timestamp]).toBe(String(NOW));
    expect(headers[SIGNATURE_HEADERS.nonce]).toMatch(/^[0-9a-f]{32}$/);
    expect(headers[SIGNATURE_HEADERS.signature]).toMatch(/^[0-9a-f]{64}$/);
    expect(headers[SIGNATURE_HEADERS.keyId]).toBe(CURRENT.keyId);
  });

  it("uses a fresh nonce each time", () => {
    const a = signRequest({ ...request, ...CURRENT, now: NOW });
    const b = signRequest({ ...request, ...CURRENT, now: NOW });
    expect(a[SIGNATURE_HEADERS.nonce]).not.toBe(b[SIGNATURE_HEADERS.nonce]);
  });

  it.each([
    ["method", { method: "GET\nX" }],
    ["pathWithQuery", { pathWithQuery: "/v1/a\nb" }],
    ["pathWithQuery", { pathWithQuery: "v1/health" }],
    ["keyId", { keyId: "bad key" }],
    ["secret", { secret: "" }],
    ["nonce", { nonce: "xyz" }],
  ])("refuses to sign a bad %s", (field, override) => {
    expect(() => signRequest({ ...request, ...CURRENT, ...override })).toThrow(
      expect.objectContaining({ field }),
    );
  });
});
