// IPv4 dotted-quad text <-> 32-bit value. Exactly four decimal octets; a leading zero is rejected
// because inet_aton reads "010" as octal 8 while other parsers read 10.
import { ValidationError } from "../errors.js";
import { describeText } from "./text.js";

export function parseIpv4(text: string, field: string): bigint {
  const result = readIpv4(text);
  if (typeof result === "string") {
    throw new ValidationError(field, `${describeText(text)} is not a valid IPv4 address: ${result}`);
  }
  return BigInt(result);
}

/** The 32-bit value of a dotted quad, or the reason it is not one. */
export function readIpv4(text: string): number | string {
  const octets = text.split(".");
  if (octets.length !== 4) return `it has ${octets.length} parts, an IPv4 address has exactly 4 octets`;
  let value = 0;
  for (const octet of octets) {
    const result = readOctet(octet);
    if (typeof result === "string") return result;
    value = value * 256 + result;
  }
  return value;
}

function readOctet(octet: string): number | string {
  if (octet === "") return "an octet is empty";
  if (!/^[0-9]{1,3}$/.test(octet)) return `octet "${octet.slice(0, 8)}" is not a number 0-255`;
  if (octet.length > 1 && octet.startsWith("0")) {
    return `octet "${octet}" has a leading zero (ambiguous: octal or decimal)`;
  }
  const value = Number(octet);
  return value > 255 ? `octet "${octet}" is out of range 0-255` : value;
}

export function formatIpv4(value: bigint): string {
  const n = Number(value);
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
