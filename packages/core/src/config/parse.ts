// Reads existing wg-quick files the way wg-quick(8) does, into a WgQuickFile. Every value passes the
// same validators render.ts uses, so a parsed file can always be written back; errors name the field
// and the line, never the value of a key.
//
// Normalised on the way in (so parse -> render -> parse is the identity, not render -> parse -> render
// byte for byte): key spelling ("allowedips" -> allowedIps), whitespace around keys, values and list
// entries, comments (dropped, except the name comments: "# Name = ...", WGDashboard's "#Name# = ..."
// inside a [Peer], wg-easy's "# Client: name (id)" above one), blank lines, CRLF, a leading BOM, how list
// entries are spread over lines and commas (Address and DNS split on commas and blanks as wg-quick
// does; AllowedIPs on commas as wg does), "PersistentKeepalive = off" (absent), SaveConfig's case.
// Kept as written: list entries, endpoints, Table, FwMark, unknown keys and their order, hook order.
import { ValidationError } from "../errors.js";
import { validateKey } from "../keys/index.js";
import {
  parseDecimal,
  validateCidrEntry,
  validateDnsEntry,
  validateEndpointValue,
  validateExtraKey,
  validateFwMark,
  validateListenPort,
  validateMtu,
  validatePersistentKeepalive,
  validateTable,
} from "./entries.js";
import { LIMITS, quote, validateConfigValue, validatePeerName } from "./text-rules.js";
import { emptyInterface, type WgQuickFile, type WgQuickInterface, type WgQuickPeer } from "./types.js";
import { checkDistinctPublicKeys } from "./validate-file.js";

const NAME_COMMENT = /^#\s*(?:name|friendly_name)\s*=(.*)$/is;
/** WGDashboard's "#Name# = x": names the [Peer] section the line is in. */
const WGDASHBOARD_NAME_COMMENT = /^#\s*name\s*#\s*=(.*)$/is;
/** wg-easy's "# Client: x (id)" just above a [Peer]; the id in brackets is wg-easy's, not part of the name. */
const WG_EASY_NAME_COMMENT = /^#\s*client:(.*?)(?:\([^()]*\))?\s*$/is;
const SECTION_LINE = /^\[(interface|peer)\]$/i;
const KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

export function parseWgQuick(input: string | Uint8Array): WgQuickFile {
  const { text, badLines } = decodeInput(input);
  return new WgQuickParser(badLines).parse(text.split(/\r?\n/));
}

interface DecodedInput {
  text: string;
  /** 1-based numbers of lines that were not valid UTF-8. */
  badLines: ReadonlySet<number>;
}

function decodeInput(input: string | Uint8Array): DecodedInput {
  if (typeof input === "string") {
    checkFileLength(input.length);
    return { text: input.startsWith("\ufeff") ? input.slice(1) : input, badLines: new Set() };
  }
  if (!(input instanceof Uint8Array)) throw new ValidationError("file", "must be text or bytes");
  checkFileLength(input.length);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(input), badLines: new Set() };
  } catch {
    // Decode leniently to find each bad line's section and key, so the error can name the field.
    return { text: new TextDecoder("utf-8").decode(input), badLines: linesWithBadUtf8(input) };
  }
}

function checkFileLength(length: number): void {
  if (length > LIMITS.file) {
    throw new ValidationError("file", `is too long: ${length} characters or bytes, at most ${LIMITS.file}`);
  }
}

/** 0x0A never occurs inside a UTF-8 sequence, so lines can be checked one at a time. */
function linesWithBadUtf8(bytes: Uint8Array): Set<number> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const bad = new Set<number>();
  let start = 0;
  for (let lineNumber = 1; start <= bytes.length; lineNumber++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      bad.add(lineNumber);
    }
    start = end + 1;
  }
  return bad;
}

/** Field names by lower-cased key; any other key is kept in `extra`. */
const INTERFACE_FIELDS: Record<string, keyof WgQuickInterface> = {
  privatekey: "privateKey",
  listenport: "listenPort",
  fwmark: "fwMark",
  address: "addresses",
  dns: "dns",
  mtu: "mtu",
  table: "table",
  saveconfig: "saveConfig",
  preup: "preUp",
  postup: "postUp",
  predown: "preDown",
  postdown: "postDown",
};
const PEER_FIELDS: Record<string, keyof WgQuickPeer> = {
  publickey: "publicKey",
  presharedkey: "presharedKey",
  allowedips: "allowedIps",
  endpoint: "endpoint",
  persistentkeepalive: "persistentKeepalive",
};

type PeerDraft = Omit<WgQuickPeer, "publicKey"> & { publicKey?: string };

/** A section being read: where it starts, its field path, and where single keys and the name were seen. */
interface Section {
  kind: "interface" | "peer";
  field: string;
  headerLine: number;
  seenKeys: Map<string, number>;
  nameLine?: number;
  /** For a [Peer]: its index in `peers`. */
  peerIndex?: number;
}

interface PendingName {
  text: string;
  line: number;
}

class WgQuickParser {
  private iface: WgQuickInterface | undefined;
  private interfaceSection: Section | undefined;
  private readonly peers: PeerDraft[] = [];
  private readonly peerSections: Section[] = [];
  private section: Section | undefined;
  /** Name comments waiting for the next header or key line to say which section they belong to. */
  private pendingNames: PendingName[] = [];
  private lineNumber = 0;

  constructor(private readonly badLines: ReadonlySet<number>) {}

  parse(lines: string[]): WgQuickFile {
    for (const [i, line] of lines.entries()) {
      this.lineNumber = i + 1;
      this.readLine(line);
    }
    if (this.section) this.attachPendingNames(this.section);
    if (!this.iface) throw new ValidationError("file", "has no [Interface] section");
    const peers = this.peers.map((peer, index) => this.finishPeer(peer, index));
    checkDistinctPublicKeys(peers);
    return { interface: this.iface, peers };
  }

  private readLine(line: string): void {
    const hash = line.indexOf("#");
    const content = (hash === -1 ? line : line.slice(0, hash)).trim();
    if (content === "") this.readComment(hash === -1 ? "" : line.slice(hash));
    else if (content.startsWith("[")) this.readHeader(content);
    else this.readKeyLine(content);
  }

  private readComment(comment: string): void {
    const inSection = WGDASHBOARD_NAME_COMMENT.exec(comment);
    if (inSection && this.section?.kind === "peer") {
      this.attachPendingNames(this.section);
      this.attachName(this.section, { text: (inSection[1] ?? "").trim(), line: this.lineNumber });
      return;
    }
    const match = NAME_COMMENT.exec(comment) ?? inSection ?? WG_EASY_NAME_COMMENT.exec(comment);
    if (match) this.pendingNames.push({ text: (match[1] ?? "").trim(), line: this.lineNumber });
    else if (this.badLines.has(this.lineNumber)) this.fail("file", "is not valid UTF-8");
  }

  private readHeader(content: string): void {
    if (this.badLines.has(this.lineNumber)) this.fail("file", "is not valid UTF-8");
    const match = SECTION_LINE.exec(content);
    if (!match)
      this.fail("file", `${quote(content)} is not a section of a wg-quick file: [Interface] or [Peer]`);
    if (match[1]?.toLowerCase() === "interface") {
      if (this.interfaceSection) {
        this.fail(
          "file",
          `a second [Interface] section (the first is on line ${this.interfaceSection.headerLine})`,
        );
      }
      this.iface = emptyInterface();
      this.interfaceSection = this.newSection("interface", "interface");
      this.section = this.interfaceSection;
    } else {
      this.peers.push({ allowedIps: [], extra: [] });
      const peerIndex = this.peers.length - 1;
      this.section = { ...this.newSection("peer", `peers[${peerIndex}]`), peerIndex };
      this.peerSections.push(this.section);
    }
    this.attachPendingNames(this.section);
  }

  private newSection(kind: Section["kind"], field: string): Section {
    return { kind, field, headerLine: this.lineNumber, seenKeys: new Map() };
  }

  private readKeyLine(content: string): void {
    const section = this.section;
    if (!section) this.fail("file", 'a "Key = Value" line before any [Interface] or [Peer] section');
    this.attachPendingNames(section);
    const equals = content.indexOf("=");
    if (equals === -1)
      this.fail(section.field, `${quote(content)} is neither "Key = Value" nor a section header`);
    const key = content.slice(0, equals).trim();
    const value = content.slice(equals + 1).trim();
    const fields: Record<string, string> = section.kind === "interface" ? INTERFACE_FIELDS : PEER_FIELDS;
    const field = `${section.field}.${fields[key.toLowerCase()] ?? "extra"}`;
    if (this.badLines.has(this.lineNumber)) this.fail(field, "is not valid UTF-8");
    if (!KEY.test(key)) this.fail(section.field, `${quote(key)} is not a valid key`);
    if (section.kind === "interface") this.readInterfaceKey(key, value, field, section);
    else this.readPeerKey(key, value, field, section);
  }

  private readInterfaceKey(key: string, value: string, field: string, section: Section): void {
    const iface = this.iface as WgQuickInterface;
    switch (key.toLowerCase()) {
      case "privatekey":
        iface.privateKey = this.once(section, key, field, () => validateKey(value, field));
        return;
      case "listenport":
        iface.listenPort = this.once(section, key, field, () =>
          validateListenPort(parseDecimal(value, field), field),
        );
        return;
      case "fwmark":
        iface.fwMark = this.once(section, key, field, () => validateFwMark(value, field));
        return;
      case "address":
        iface.addresses.push(
          ...this.atLine(() => splitBlankOrComma(value).map((a) => validateCidrEntry(a, field))),
        );
        return;
      case "dns":
        iface.dns.push(...this.atLine(() => splitBlankOrComma(value).map((d) => validateDnsEntry(d, field))));
        return;
      case "mtu":
        iface.mtu = this.once(section, key, field, () => validateMtu(parseDecimal(value, field), field));
        return;
      case "table":
        iface.table = this.once(section, key, field, () => validateTable(value, field));
        return;
      case "saveconfig":
        iface.saveConfig = this.once(section, key, field, () => parseBoolean(value, field));
        return;
      case "preup":
        iface.preUp.push(this.atLine(() => validateConfigValue(field, value, LIMITS.hook)));
        return;
      case "postup":
        iface.postUp.push(this.atLine(() => validateConfigValue(field, value, LIMITS.hook)));
        return;
      case "predown":
        iface.preDown.push(this.atLine(() => validateConfigValue(field, value, LIMITS.hook)));
        return;
      case "postdown":
        iface.postDown.push(this.atLine(() => validateConfigValue(field, value, LIMITS.hook)));
        return;
      default:
        iface.extra.push(this.readExtra(key, value, field, "interface"));
    }
  }

  private readPeerKey(key: string, value: string, field: string, section: Section): void {
    const peer = this.peers[this.peers.length - 1] as PeerDraft;
    switch (key.toLowerCase()) {
      case "publickey":
        peer.publicKey = this.once(section, key, field, () => validateKey(value, field));
        return;
      case "presharedkey":
        peer.presharedKey = this.once(section, key, field, () => validateKey(value, field));
        return;
      case "allowedips":
        peer.allowedIps.push(...this.atLine(() => splitComma(value).map((c) => validateCidrEntry(c, field))));
        return;
      case "endpoint":
        peer.endpoint = this.once(section, key, field, () => validateEndpointValue(value, field));
        return;
      case "persistentkeepalive": {
        const keepalive = this.once(section, key, field, () =>
          value.toLowerCase() === "off"
            ? undefined
            : validatePersistentKeepalive(parseDecimal(value, field), field),
        );
        if (keepalive !== undefined) peer.persistentKeepalive = keepalive;
        return;
      }
      default:
        peer.extra.push(this.readExtra(key, value, field, "peer"));
    }
  }

  private readExtra(key: string, value: string, field: string, kind: Section["kind"]): [string, string] {
    return this.atLine(() => [validateExtraKey(key, kind, field), validateConfigValue(field, value)]);
  }

  /** A key that may appear once per section; a second one is an error rather than a silent override. */
  private once<T>(section: Section, key: string, field: string, read: () => T): T {
    const first = section.seenKeys.get(key.toLowerCase());
    if (first !== undefined)
      this.fail(field, `${key} appears twice in this section (first on line ${first})`);
    section.seenKeys.set(key.toLowerCase(), this.lineNumber);
    return this.atLine(read);
  }

  private attachPendingNames(section: Section): void {
    const pending = this.pendingNames;
    this.pendingNames = [];
    for (const name of pending) this.attachName(section, name);
  }

  private attachName(section: Section, name: PendingName): void {
    const field = `${section.field}.name`;
    if (this.badLines.has(name.line)) this.fail(field, "is not valid UTF-8", name.line);
    if (name.text === "") return;
    if (section.nameLine !== undefined) {
      this.fail(
        field,
        `a second Name comment for this section (the first is on line ${section.nameLine})`,
        name.line,
      );
    }
    const valid = this.atLine(() => validatePeerName(name.text, field), name.line);
    section.nameLine = name.line;
    if (section.kind === "interface") (this.iface as WgQuickInterface).name = valid;
    else (this.peers[section.peerIndex ?? -1] as PeerDraft).name = valid;
  }

  private finishPeer(peer: PeerDraft, index: number): WgQuickPeer {
    const { name, publicKey, presharedKey, allowedIps, endpoint, persistentKeepalive, extra } = peer;
    if (publicKey === undefined) {
      const line = this.peerSections[index]?.headerLine;
      throw new ValidationError(`peers[${index}].publicKey`, `line ${line}: this [Peer] has no PublicKey`);
    }
    return {
      ...(name !== undefined && { name }),
      publicKey,
      ...(presharedKey !== undefined && { presharedKey }),
      allowedIps,
      ...(endpoint !== undefined && { endpoint }),
      ...(persistentKeepalive !== undefined && { persistentKeepalive }),
      extra,
    };
  }

  /** Runs a validator and puts the line number in front of its message. */
  private atLine<T>(read: () => T, line = this.lineNumber): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ValidationError) || error.field === undefined) throw error;
      const prefix = `${error.field}: `;
      const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      throw new ValidationError(error.field, `line ${line}: ${message}`);
    }
  }

  private fail(field: string, message: string, line = this.lineNumber): never {
    throw new ValidationError(field, `line ${line}: ${message}`);
  }
}

function splitBlankOrComma(value: string): string[] {
  return value.split(/[ \t,]+/).filter((entry) => entry !== "");
}

function splitComma(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

function parseBoolean(value: string, field: string): boolean {
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new ValidationError(field, `${quote(value)} is neither true nor false`);
}
