// fast-check generators for WgQuickFile values shaped as parseWgQuick returns them (documentation
// address ranges only), and a "messy" writer that spells a file the many ways wg-quick accepts.
import fc from "fast-check";
import { checkConfigText, validateConfigValue, validatePeerName } from "../text-rules.js";
import type { WgQuickFile, WgQuickInterface, WgQuickPeer } from "../types.js";
import { INTERFACE_KEYS, PEER_KEYS } from "../types.js";

const accepted = (check: (s: string) => string) => (s: string) => {
  try {
    return check(s) === s;
  } catch {
    return false;
  }
};

export const keyArb = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString("base64"));

const byte = fc.integer({ min: 0, max: 255 });
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
const ipv4Arb = fc.oneof(
  byte.map((b) => `198.51.100.${b}`),
  byte.map((b) => `203.0.113.${b}`),
);
const ipv6Arb = fc.oneof(
  fc.tuple(hextet, hextet).map(([a, b]) => `2001:db8:${a}::${b}`),
  fc.tuple(hextet, hextet, hextet).map(([a, b, c]) => `2001:db8:${a}:${b}::${c}`),
  hextet.map((a) => `2001:DB8::${a.toUpperCase()}`),
);
export const cidrArb = fc.oneof(
  ipv4Arb,
  fc.tuple(ipv4Arb, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
  ipv6Arb,
  fc.tuple(ipv6Arb, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
  fc.constantFrom("0.0.0.0/0", "::/0"),
);

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
export const hostnameArb = fc
  .tuple(fc.array(label, { minLength: 0, maxLength: 3 }), fc.stringMatching(/^[a-zA-Z]{2,6}$/))
  .map(([labels, tld]) => [...labels, tld].join("."));
export const dnsArb = fc.oneof(ipv4Arb, ipv6Arb, hostnameArb);
const portArb = fc.integer({ min: 1, max: 65535 });
export const endpointArb = fc.oneof(
  fc.tuple(hostnameArb, portArb).map(([h, p]) => `${h}:${p}`),
  fc.tuple(ipv4Arb, portArb).map(([h, p]) => `${h}:${p}`),
  fc.tuple(ipv6Arb, portArb).map(([h, p]) => `[${h}]:${p}`),
);

/** Any text the rules accept as it stands: Unicode, quotes, "=", "$", "%i", but no "#" or control characters. */
export const hookArb = fc
  .oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(..."iptables -A FORWARD %i;&|$'\"=,[]{}()<>/\\"), maxLength: 60 }),
  )
  .filter(accepted((s) => validateConfigValue("hook", s)));
export const nameArb = fc
  .oneof(
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
    fc.constantFrom("alice # 2", "= bob ="),
  )
  .filter(accepted((s) => validatePeerName(s)));

const knownKeys = new Set<string>([...INTERFACE_KEYS, ...PEER_KEYS]);
const extraArb = fc.tuple(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/).filter((k) => !knownKeys.has(k.toLowerCase())),
  hookArb,
);

export const interfaceArb: fc.Arbitrary<WgQuickInterface> = fc.record(
  {
    name: nameArb,
    privateKey: keyArb,
    listenPort: fc.integer({ min: 0, max: 65535 }),
    addresses: fc.array(cidrArb, { maxLength: 4 }),
    dns: fc.array(dnsArb, { maxLength: 4 }),
    mtu: fc.integer({ min: 576, max: 65535 }),
    table: fc.oneof(fc.constantFrom("off", "auto", "main"), fc.integer({ min: 1, max: 2 ** 31 }).map(String)),
    fwMark: fc.oneof(
      fc.constantFrom("off", "Off"),
      fc.integer({ min: 0, max: 0xffffffff }).map(String),
      fc.integer({ min: 0, max: 0xffffffff }).map((n) => `0x${n.toString(16)}`),
    ),
    saveConfig: fc.boolean(),
    preUp: fc.array(hookArb, { maxLength: 3 }),
    postUp: fc.array(hookArb, { maxLength: 3 }),
    preDown: fc.array(hookArb, { maxLength: 3 }),
    postDown: fc.array(hookArb, { maxLength: 3 }),
    extra: fc.array(extraArb, { maxLength: 3 }),
  },
  {
    requiredKeys: ["addresses", "dns", "preUp", "postUp", "preDown", "postDown", "extra"],
    noNullPrototype: true,
  },
);

export const peerArb: fc.Arbitrary<WgQuickPeer> = fc.record(
  {
    name: nameArb,
    publicKey: keyArb,
    presharedKey: keyArb,
    allowedIps: fc.array(cidrArb, { maxLength: 5 }),
    endpoint: endpointArb,
    persistentKeepalive: fc.integer({ min: 0, max: 65535 }),
    extra: fc.array(extraArb, { maxLength: 2 }),
  },
  { requiredKeys: ["publicKey", "allowedIps", "extra"], noNullPrototype: true },
);

export const fileArb: fc.Arbitrary<WgQuickFile> = fc.record(
  {
    interface: interfaceArb,
    peers: fc.uniqueArray(peerArb, { maxLength: 5, selector: (peer) => peer.publicKey }),
  },
  { noNullPrototype: true },
);

/** Choices for writing one file in a way wg-quick reads identically. */
export interface MessyStyle {
  keyCase: Array<"lower" | "upper" | "canonical">;
  spaces: string[];
  lineEnding: "\n" | "\r\n";
  commentAfterValues: boolean;
  nameAboveHeader: boolean;
  splitLists: boolean;
}

export const messyStyleArb: fc.Arbitrary<MessyStyle> = fc.record(
  {
    keyCase: fc.array(fc.constantFrom("lower", "upper", "canonical"), { minLength: 1, maxLength: 5 }),
    spaces: fc.array(fc.constantFrom("", " ", "  ", "\t", " \t "), { minLength: 1, maxLength: 5 }),
    lineEnding: fc.constantFrom("\n", "\r\n"),
    commentAfterValues: fc.boolean(),
    nameAboveHeader: fc.boolean(),
    splitLists: fc.boolean(),
  },
  { noNullPrototype: true },
);

/** Writes `file` with odd key case, odd spacing, comments and split list lines; wg-quick reads it as `file`. */
export function renderMessy(file: WgQuickFile, style: MessyStyle): string {
  let n = 0;
  const pick = <T>(items: T[]): T => items[n++ % items.length] as T;
  const spell = (key: string) => {
    const mode = pick(style.keyCase);
    return mode === "lower" ? key.toLowerCase() : mode === "upper" ? key.toUpperCase() : key;
  };
  const comment = () => (style.commentAfterValues ? `${pick(style.spaces)}# note = [Peer]` : "");
  const kv = (key: string, value: string | number | boolean, asWritten = false) => {
    const written = asWritten ? key : spell(key);
    const text = `${pick(style.spaces)}${written}${pick(style.spaces)}=${pick(style.spaces)}${value}`;
    // A comment after an empty value would be read as the value's end anyway; keep it simple.
    return `${text}${String(value) === "" ? "" : comment()}`;
  };
  const list = (key: string, values: string[], separator: string) => {
    if (values.length === 0) return [];
    if (!style.splitLists) return [kv(key, values.join(separator))];
    return values.map((v) => kv(key, v));
  };
  const opt = (key: string, value: string | number | boolean | undefined) =>
    value === undefined ? [] : [kv(key, value)];
  const section = (header: string, name: string | undefined) => {
    const nameLine = name === undefined ? [] : [`#${pick(style.spaces)}Name${pick(style.spaces)}= ${name}`];
    return style.nameAboveHeader ? [...nameLine, "", header] : [header, ...nameLine];
  };
  const i = file.interface;
  const lines = [
    "# generated for a property test",
    ...section(`[${spell("Interface")}]`, i.name),
    ...opt("PrivateKey", i.privateKey),
    ...opt("ListenPort", i.listenPort),
    ...list("Address", i.addresses, pick([",", ", ", " "])),
    ...list("DNS", i.dns, pick([",", " , ", "\t"])),
    ...opt("MTU", i.mtu),
    ...opt("Table", i.table),
    ...opt("FwMark", i.fwMark),
    ...opt("SaveConfig", i.saveConfig === undefined ? undefined : spell(String(i.saveConfig))),
    ...i.preUp.map((h) => kv("PreUp", h)),
    ...i.postUp.map((h) => kv("PostUp", h)),
    ...i.preDown.map((h) => kv("PreDown", h)),
    ...i.postDown.map((h) => kv("PostDown", h)),
    ...i.extra.map(([k, v]) => kv(k, v, true)),
  ];
  for (const peer of file.peers) {
    lines.push(
      "",
      ...section(`[${spell("Peer")}]`, peer.name),
      ...list("AllowedIPs", peer.allowedIps, pick([",", ", ", " ,"])),
      ...opt("PersistentKeepalive", peer.persistentKeepalive),
      ...opt("Endpoint", peer.endpoint),
      ...opt("PublicKey", peer.publicKey),
      ...opt("PresharedKey", peer.presharedKey),
      ...peer.extra.map(([k, v]) => kv(k, v, true)),
    );
  }
  return `${lines.join(style.lineEnding)}${style.lineEnding}`;
}

/** Arbitrary text with the characters that attack a line-based format. */
export const hostileTextArb = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom("\n", "\r", "\u0000", "[", "]", "Peer", "=", "#", " ", "a", "\ud800", "\u2028"),
    maxLength: 12,
  }),
);

export function acceptsText(s: string): boolean {
  try {
    checkConfigText("x", s, 1024);
    return true;
  } catch {
    return false;
  }
}
