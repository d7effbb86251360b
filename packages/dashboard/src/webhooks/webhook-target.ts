// Where a webhook may send: its URL's rules when saved (http or https, a host, no credentials in it)
// and, at every delivery, the addresses its host resolves to then (DNS can change after saving). An
// address that is not public (private, loopback, link-local, …) is refused unless the webhook opted in,
// so a webhook cannot be used to call into the dashboard's own network by accident. The delivery
// connects to the address checked here, never resolving the name a second time.
import { lookup } from "node:dns/promises";
import { addressScope, hasControlCharacters, parseAddress, ValidationError } from "@wgfleet/core";

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

export type ResolveHost = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: ResolveHost = (host) => lookup(host, { all: true, verbatim: true });

/** The URL as saved, or a ValidationError naming `url`. */
export function checkWebhookUrl(text: string): string {
  const trimmed = text.trim();
  if (hasControlCharacters(trimmed)) throw new ValidationError("url", "must not contain control characters");
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ValidationError("url", "is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ValidationError("url", "must start with http:// or https://");
  if (url.hostname === "") throw new ValidationError("url", "must name a host");
  if (url.username !== "" || url.password !== "")
    throw new ValidationError("url", "must not hold a user name or password");
  return url.toString();
}

/** The bare host of a URL: IPv6 literals without their brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/** Why an address may not be called without the opt-in, or null when it is public. */
export function nonPublicReason(address: string): string | null {
  const { scope, why } = addressScope(parseAddress(address));
  return scope === "public" ? null : (why ?? scope);
}

/**
 * The address to connect to: the host's first address, when every address it resolves to is allowed.
 * Throws an Error saying why not (shown in the delivery log).
 */
export async function resolveTarget(
  url: URL,
  allowPrivate: boolean,
  resolve: ResolveHost = systemResolve,
): Promise<ResolvedTarget> {
  const host = hostOf(url);
  const literal = /^[\d.]+$/.test(host) || host.includes(":");
  const found = literal ? [{ address: host, family: host.includes(":") ? 6 : 4 }] : await resolve(host);
  if (found.length === 0) throw new Error(`${host} resolves to no address`);
  if (!allowPrivate) {
    for (const { address } of found) {
      const reason = nonPublicReason(address);
      if (reason)
        throw new Error(
          `${host} resolves to ${address}, ${reason}: allow private addresses on this webhook to send there`,
        );
    }
  }
  const first = found[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
