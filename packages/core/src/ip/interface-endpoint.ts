// The endpoint an admin gives an interface: "host:port" as everywhere, or a bare host
// ("vpn.example.com", "198.51.100.1", "[2001:db8::1]") that takes the interface's own listen port —
// the usual case, since clients reach the node on the port it listens on.
import { ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "./address.js";
import { type Endpoint, isValidHostname, parseEndpoint } from "./endpoint.js";
import { describeText } from "./text.js";

/** Whether `text` names a host without a port (a name, an IPv4 address, an IPv6 address with or without brackets). */
export function isBareHost(text: string): boolean {
  if (/^\[[^\]]*\]$/.test(text)) return true;
  if (!text.includes(":")) return true;
  // More than one colon and no brackets: an IPv6 address alone (a port needs brackets around it).
  return text.indexOf(":") !== text.lastIndexOf(":") && !text.includes("[");
}

/**
 * "host:port" or a bare host with `listenPort` added. IPs come back canonical; errors name `field`.
 * Unbracketed IPv6 text is read as an address alone: "2001:db8::1:51820" is a valid IPv6 address,
 * so a port after an IPv6 address needs brackets.
 */
export function parseInterfaceEndpoint(text: string, listenPort: number, field = "endpoint"): Endpoint {
  if (typeof text !== "string" || text === "" || !isBareHost(text)) return parseEndpoint(text, field);
  if (/[\s\p{Cc}]/u.test(text)) return parseEndpoint(text, field); // the same refusal as with a port
  const bracketed = /^\[(.*)\]$/.exec(text)?.[1];
  if (bracketed !== undefined || text.includes(":")) {
    const address = parseAddress(bracketed ?? text, field);
    if (address.version !== 6)
      throw new ValidationError(field, `${describeText(text)}: brackets are only for IPv6 addresses`);
    return { host: formatAddress(address), port: listenPort };
  }
  if (/^[0-9.]+$/.test(text)) return { host: formatAddress(parseAddress(text, field)), port: listenPort };
  if (!isValidHostname(text)) {
    throw new ValidationError(
      field,
      `${describeText(text)} is not an IP address or a valid DNS name (optionally with ":port")`,
    );
  }
  return { host: text, port: listenPort };
}
