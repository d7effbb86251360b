// Writes wg-quick and `wg setconf` text. Everything written has passed validateWgQuickFile first;
// this module only arranges validated values into lines, it never writes a value unchecked.
import { ValidationError } from "../errors.js";
import { LIMITS } from "./text-rules.js";
import type { WgQuickFile, WgQuickInterface, WgQuickPeer } from "./types.js";
import { validateWgQuickFile } from "./validate-file.js";

/** A wg-quick file; `parseWgQuick(renderWgQuick(x))` deep-equals x for every x the parser can produce. */
export function renderWgQuick(file: WgQuickFile): string {
  const valid = validateWgQuickFile(file);
  return bounded([interfaceLines(valid.interface), ...valid.peers.map(peerLines)]);
}

/**
 * What `wg setconf` / `wg syncconf` read (what `wg-quick strip` prints): only wg(8)'s keys, no names,
 * no wg-quick keys (Address, DNS, MTU, Table, hooks, SaveConfig), no unknown keys.
 */
export function renderWgSetconf(file: WgQuickFile): string {
  const valid = validateWgQuickFile(file);
  return bounded([setconfInterfaceLines(valid.interface), ...valid.peers.map(setconfPeerLines)]);
}

/** Sections separated by one blank line, the file ending in a newline. */
export function joinSections(sections: string[][]): string {
  return sections.map((lines) => `${lines.join("\n")}\n`).join("\n");
}

function bounded(sections: string[][]): string {
  const text = joinSections(sections);
  if (text.length > LIMITS.file) {
    throw new ValidationError("file", `the rendered file is too long: more than ${LIMITS.file} characters`);
  }
  return text;
}

export function interfaceLines(iface: WgQuickInterface): string[] {
  return [
    "[Interface]",
    ...nameLine(iface.name),
    ...line("PrivateKey", iface.privateKey),
    ...line("ListenPort", iface.listenPort),
    ...line("FwMark", iface.fwMark),
    ...listLine("Address", iface.addresses),
    ...listLine("DNS", iface.dns),
    ...line("MTU", iface.mtu),
    ...line("Table", iface.table),
    ...line("SaveConfig", iface.saveConfig),
    ...iface.preUp.map((hook) => `PreUp = ${hook}`),
    ...iface.postUp.map((hook) => `PostUp = ${hook}`),
    ...iface.preDown.map((hook) => `PreDown = ${hook}`),
    ...iface.postDown.map((hook) => `PostDown = ${hook}`),
    ...iface.extra.map(([key, value]) => `${key} = ${value}`),
  ];
}

export function peerLines(peer: WgQuickPeer): string[] {
  return [
    "[Peer]",
    ...nameLine(peer.name),
    ...line("PublicKey", peer.publicKey),
    ...line("PresharedKey", peer.presharedKey),
    ...listLine("AllowedIPs", peer.allowedIps),
    ...line("Endpoint", peer.endpoint),
    ...line("PersistentKeepalive", peer.persistentKeepalive),
    ...peer.extra.map(([key, value]) => `${key} = ${value}`),
  ];
}

function setconfInterfaceLines(iface: WgQuickInterface): string[] {
  return [
    "[Interface]",
    ...line("PrivateKey", iface.privateKey),
    ...line("ListenPort", iface.listenPort),
    ...line("FwMark", iface.fwMark),
  ];
}

function setconfPeerLines(peer: WgQuickPeer): string[] {
  return [
    "[Peer]",
    ...line("PublicKey", peer.publicKey),
    ...line("PresharedKey", peer.presharedKey),
    ...listLine("AllowedIPs", peer.allowedIps),
    ...line("Endpoint", peer.endpoint),
    ...line("PersistentKeepalive", peer.persistentKeepalive),
  ];
}

function nameLine(name: string | undefined): string[] {
  return name === undefined ? [] : [`# Name = ${name}`];
}

function line(key: string, value: string | number | boolean | undefined): string[] {
  return value === undefined ? [] : [`${key} = ${value}`];
}

function listLine(key: string, values: readonly string[]): string[] {
  return values.length === 0 ? [] : [`${key} = ${values.join(", ")}`];
}
