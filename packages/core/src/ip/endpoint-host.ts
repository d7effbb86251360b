// Will a client elsewhere reach this endpoint host? A host given to clients is checked for the usual
// first-run mistakes: a single-label name (the machine's hostname, "vm"), a local-only name
// ("router.local"), a loopback, private or special-purpose address. These are warnings, not errors:
// a LAN-only or VPN-in-VPN setup may mean exactly that.
import { parseAddress } from "./address.js";
import { addressScope } from "./special-purpose.js";

export type EndpointHostKind =
  | "public"
  | "single-label"
  | "local-name"
  | "loopback"
  | "private"
  | "special-purpose";

export interface EndpointHostWarning {
  kind: Exclude<EndpointHostKind, "public">;
  message: string;
}

/** Suffixes that only resolve on a local network (mDNS, RFC 6762/8375 and common home-router zones). */
const LOCAL_SUFFIXES = [".local", ".localhost", ".internal", ".lan", ".home.arpa", ".localdomain"];

/** The host without brackets or a trailing dot, lower-cased. */
function normalHost(host: string): string {
  const unbracketed = /^\[(.*)\]$/.exec(host)?.[1] ?? host;
  return unbracketed.replace(/\.$/, "").toLowerCase();
}

function asAddress(host: string) {
  try {
    return parseAddress(host, "endpoint");
  } catch {
    return null;
  }
}

/** What kind of host this is, as far as a client on the internet is concerned. */
export function classifyEndpointHost(host: string): { kind: EndpointHostKind; why: string | null } {
  const text = normalHost(host);
  const address = asAddress(text);
  if (address) {
    const { scope, why } = addressScope(address);
    return { kind: scope, why };
  }
  if (text === "localhost") return { kind: "loopback", why: "localhost" };
  if (!text.includes(".")) return { kind: "single-label", why: null };
  if (LOCAL_SUFFIXES.some((suffix) => text.endsWith(suffix)))
    return { kind: "local-name", why: text.slice(text.lastIndexOf(".")) };
  return { kind: "public", why: null };
}

/** The warnings to show next to an endpoint host (none for a public name or address). */
export function endpointHostWarnings(host: string): EndpointHostWarning[] {
  const { kind, why } = classifyEndpointHost(host);
  const shown = normalHost(host);
  switch (kind) {
    case "public":
      return [];
    case "single-label":
      return [
        {
          kind,
          message: `"${shown}" is a single-label name (like a machine's hostname): clients elsewhere usually cannot resolve it. Use the public DNS name or IP address of this server.`,
        },
      ];
    case "local-name":
      return [
        {
          kind,
          message: `"${shown}" ends in ${why}, a name only the local network resolves: clients elsewhere cannot reach it.`,
        },
      ];
    case "loopback":
      return [
        {
          kind,
          message: `${shown} is a loopback address: every client would try to connect to itself.`,
        },
      ];
    case "private":
      return [
        {
          kind,
          message: `${shown} is a ${why} address: only clients on the same network can reach it.`,
        },
      ];
    case "special-purpose":
      return [{ kind, message: `${shown} is a ${why} address: clients cannot connect to it.` }];
  }
}
