// WireGuard endpoints ("host:port") and DNS host names. An endpoint ends up in a client's config file,
// so nothing that could carry a newline, a space or a "[" section through is accepted.
import { ValidationError } from "../errors.js";
import { formatAddress, parseAddress } from "./address.js";
import { describeText } from "./text.js";

export interface Endpoint {
  host: string;
  port: number;
}

const MAX_HOSTNAME = 253;
const LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/**
 * A DNS host name (RFC 1123): dot-separated labels of letters, digits and inner hyphens, 1-63
 * characters each, 253 in all, an optional final dot. The last label is not all digits, so a
 * malformed IPv4 address ("1.2.3.999") is not mistaken for a name. IP addresses are not host names.
 */
export function isValidHostname(text: string): boolean {
  if (typeof text !== "string") return false;
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  if (name === "" || name.length > MAX_HOSTNAME) return false;
  const labels = name.split(".");
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1] ?? "");
}

/** "host:port" with an IPv4 address or a DNS name, or "[ipv6]:port"; port 1-65535. IPs come back canonical. */
export function parseEndpoint(text: string, field = "endpoint"): Endpoint {
  if (typeof text !== "string") throw new ValidationError(field, "must be a string");
  if (text === "")
    throw new ValidationError(field, 'an endpoint "host:port" is required, got an empty string');
  if (/[\s\p{Cc}]/u.test(text)) {
    throw new ValidationError(
      field,
      `${describeText(text)} is not an endpoint: it contains whitespace or a control character`,
    );
  }
  return text.startsWith("[") ? parseBracketed(text, field) : parseHostPort(text, field);
}

function parseBracketed(text: string, field: string): Endpoint {
  const close = text.indexOf("]");
  if (close === -1)
    throw new ValidationError(field, `${describeText(text)} is not an endpoint: "[" without "]"`);
  const address = parseAddress(text.slice(1, close), field);
  if (address.version !== 6) {
    throw new ValidationError(field, `${describeText(text)}: brackets are only for IPv6 addresses`);
  }
  const rest = text.slice(close + 1);
  if (!rest.startsWith(":")) {
    throw new ValidationError(field, `${describeText(text)} is not an endpoint: expected ":port" after "]"`);
  }
  return { host: formatAddress(address), port: parsePort(text, rest.slice(1), field) };
}

function parseHostPort(text: string, field: string): Endpoint {
  const colon = text.lastIndexOf(":");
  if (colon === -1) {
    throw new ValidationError(
      field,
      `${describeText(text)} is not an endpoint: the port is missing ("host:port")`,
    );
  }
  if (text.indexOf(":") !== colon) {
    throw new ValidationError(
      field,
      `${describeText(text)} is not an endpoint: an IPv6 address must be in brackets, "[2001:db8::1]:51820"`,
    );
  }
  const hostText = text.slice(0, colon);
  const port = parsePort(text, text.slice(colon + 1), field);
  if (/^[0-9.]+$/.test(hostText)) return { host: formatAddress(parseAddress(hostText, field)), port };
  if (!isValidHostname(hostText)) {
    throw new ValidationError(
      field,
      `${describeText(text)}: host ${describeText(hostText)} is not an IP address or a valid DNS name`,
    );
  }
  return { host: hostText, port };
}

function parsePort(text: string, portText: string, field: string): number {
  if (/^[1-9][0-9]{0,4}$/.test(portText) && Number(portText) <= 65535) return Number(portText);
  const shown = portText === "" ? "is missing" : `${describeText(portText)} is not a number 1-65535`;
  throw new ValidationError(field, `${describeText(text)} is not a valid endpoint: the port ${shown}`);
}

/** "host:port", with brackets around an IPv6 host. */
export function formatEndpoint(endpoint: Endpoint): string {
  return endpoint.host.includes(":")
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}
