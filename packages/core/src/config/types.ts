// The data model of a wg-quick file. Everything a parse produces and a render consumes; the text
// format itself lives in parse.ts and render.ts.

export interface WgQuickInterface {
  /** From a "# Name = ..." comment in or just above [Interface] (client configs carry one); validated. */
  name?: string;
  privateKey?: string;
  listenPort?: number;
  /** CIDRs as written ("198.51.100.1/24"), several Address lines and comma lists flattened in order. */
  addresses: string[];
  /** DNS servers (IP addresses) and DNS search domains, as wg-quick mixes them, in order. */
  dns: string[];
  mtu?: number;
  /** "off", "auto", a table number or name. */
  table?: string;
  /** "off", decimal or 0x-hex, as written. */
  fwMark?: string;
  saveConfig?: boolean;
  preUp: string[];
  postUp: string[];
  preDown: string[];
  postDown: string[];
  /** Unknown keys, kept in order with the key's spelling as written. */
  extra: Array<[key: string, value: string]>;
}

export interface WgQuickPeer {
  /** From a "# Name = ..." (or "# friendly_name = ...") comment in or just above [Peer]; validated. */
  name?: string;
  publicKey: string;
  presharedKey?: string;
  /** CIDRs as written, several AllowedIPs lines and comma lists flattened in order. */
  allowedIps: string[];
  /** "host:port" or "[ipv6]:port", as written. */
  endpoint?: string;
  persistentKeepalive?: number;
  extra: Array<[key: string, value: string]>;
}

export interface WgQuickFile {
  interface: WgQuickInterface;
  peers: WgQuickPeer[];
}

/** Keys each section understands, lower-cased; any other key goes to `extra`. */
export const INTERFACE_KEYS = [
  "privatekey",
  "listenport",
  "fwmark",
  "address",
  "dns",
  "mtu",
  "table",
  "saveconfig",
  "preup",
  "postup",
  "predown",
  "postdown",
] as const;
export const PEER_KEYS = [
  "publickey",
  "presharedkey",
  "allowedips",
  "endpoint",
  "persistentkeepalive",
] as const;

export function emptyInterface(): WgQuickInterface {
  return { addresses: [], dns: [], preUp: [], postUp: [], preDown: [], postDown: [], extra: [] };
}
