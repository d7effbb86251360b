// One HTTP POST of a delivery: to the address webhook-target.ts checked (the name is not resolved
// again), with a timeout over the whole exchange, no redirects followed (a 3xx is an answer, not a
// success), and the answer's body drained and dropped. Never throws: the outcome says what happened.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedTarget } from "./webhook-target.js";

export interface SendOutcome {
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** Why it failed (no answer, or a status outside 2xx). */
  error: string | null;
}

export interface WebhookRequest {
  url: URL;
  target: ResolvedTarget;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type SendWebhook = (request: WebhookRequest) => Promise<SendOutcome>;

export const sendWebhook: SendWebhook = (request) =>
  new Promise((resolve) => {
    const { url, target, body } = request;
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all)
        (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
          { address: target.address, family: target.family },
        ]);
      else callback(null, target.address, target.family);
    };
    const client = url.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = client.request(
      url,
      {
        method: "POST",
        lookup: pinned,
        headers: { ...request.headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        res.on("end", () => finish({ status, error: ok ? null : `the receiver answered ${status}` }));
        res.on("error", () => finish({ status, error: ok ? null : `the receiver answered ${status}` }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: null, error: `no answer within ${request.timeoutMs} ms` });
    }, request.timeoutMs);
    req.on("error", (error) => finish({ status: null, error: error.message }));
    req.end(body);
  });
