// The signature every delivery carries: `x-wgfleet-signature: t=<unix seconds>,v1=<hex>` where v1 is
// HMAC-SHA256(secret, t + "." + body). The timestamp is the attempt's, so a receiver can refuse old
// replays; `verifyWebhookSignature` is what a receiver does (the tests use it, docs/webhooks.md shows it).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-wgfleet-signature";

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

/**
 * Whether `header` signs `body` with `secret`, at most `toleranceSeconds` away from `nowSeconds`.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), "utf8");
  const given = Buffer.from(v1, "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
