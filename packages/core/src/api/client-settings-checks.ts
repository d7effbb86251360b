// Meaning checks of the settings handed to clients (DNS, AllowedIPs), shared by configurations and
// peers, on input whose shape the request schema already checked. Values come back canonical.
import { validateDnsEntry } from "../config/entries.js";
import { formatCidr, parseCidr } from "../ip/cidr.js";

/** Each entry a resolver address or search domain; errors name the entry ("dns[1]"). */
export function checkDnsList(entries: readonly string[], field = "dns"): string[] {
  return entries.map((entry, i) => validateDnsEntry(entry.trim(), `${field}[${i}]`));
}

/** Each entry a CIDR (or a bare address: a host route), canonical and without duplicates. */
export function checkCidrList(entries: readonly string[], field: string): string[] {
  const canonical = entries.map((entry, i) => formatCidr(parseCidr(entry.trim(), `${field}[${i}]`)));
  return [...new Set(canonical)];
}
