import { describe, expect, it } from "vitest";
import { bodyDigest } from "./canonical.js";
import { SIGNATURE_HEADERS } from "./headers.js";
import { NonceCache } from "./nonce-cache.js";
import { signRequest } from "./sign.js";
import { checkSignatureHeaders } from "./verify.js";

const NOW = 1_750_000_000_000;
const secrets = new Map([["k1", "the-secret-0123456789abcdef"]]);
const request = { method: "PUT", pathWithQuery: "/v1/interfaces/wg0/state", body: '{"peers":[]}' };
const signed = () =>
  signRequest({ ...request, keyId: "k1", secret: "the-secret-0123456789abcdef", now: NOW });
const check = (headers: Record<string, string>, nonces: NonceCache) =>
  checkSignatureHeaders({
    method: request.method,
    pathWithQuery: request.pathWithQuery,
    headers,
    secrets,
    nonces,
    now: NOW,
  });

describe("checkSignatureHeaders (the header half, before any body byte)", () => {
  it("refuses missing headers, an unknown key id and a stale timestamp without a body", () => {
    const nonces = new NonceCache();
    expect(() => check({}, nonces)).toThrow(/missing_headers/);
    expect(() => check({ ...signed(), [SIGNATURE_HEADERS.keyId]: "k9" }, nonces)).toThrow(/unknown_key_id/);
    const stale = signRequest({
      ...request,
      keyId: "k1",
      secret: "the-secret-0123456789abcdef",
      now: NOW - 120_000,
    });
    expect(() => check(stale, nonces)).toThrow(/stale_timestamp/);
  });

  it("a forged body does not use up the nonce; the genuine request with it still passes, then never again", () => {
    const nonces = new NonceCache();
    const headers = signed();
    expect(() => check(headers, nonces).finish(bodyDigest('{"peers":["forged"]}'))).toThrow(/bad_signature/);
    expect(nonces.size).toBe(0);
    expect(check(headers, nonces).finish(bodyDigest(request.body))).toEqual({ keyId: "k1" });
    expect(() => check(headers, nonces)).toThrow(/replayed_nonce/);
  });

  it("two in-flight requests with one nonce: only the first to finish is accepted", () => {
    const nonces = new NonceCache();
    const headers = signed();
    const first = check(headers, nonces);
    const second = check(headers, nonces);
    first.finish(bodyDigest(request.body));
    expect(() => second.finish(bodyDigest(request.body))).toThrow(/replayed_nonce/);
  });
});
