import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { generateKeyPair, generatePresharedKey } from "../keys/index.js";
import { parseWgQuick } from "./parse.js";
import { renderWgQuick, renderWgSetconf } from "./render.js";
import { emptyInterface, type WgQuickFile } from "./types.js";

const server = generateKeyPair();
const alice = generateKeyPair();
const psk = generatePresharedKey();

const file: WgQuickFile = {
  interface: {
    ...emptyInterface(),
    name: "edge-1",
    privateKey: server.privateKey,
    listenPort: 51820,
    fwMark: "0xca6c",
    addresses: ["198.51.100.1/24", "2001:db8::1/64"],
    dns: ["198.51.100.53", "corp.example.com"],
    mtu: 1420,
    table: "off",
    saveConfig: false,
    preUp: ["sysctl -w net.ipv4.ip_forward=1"],
    postUp: ["iptables -A FORWARD -i %i -j ACCEPT", "ip6tables -A FORWARD -i %i -j ACCEPT"],
    preDown: [],
    postDown: ["iptables -D FORWARD -i %i -j ACCEPT"],
    extra: [["Jc", "4"]],
  },
  peers: [
    {
      name: "alice",
      publicKey: alice.publicKey,
      presharedKey: psk,
      allowedIps: ["198.51.100.2/32", "2001:db8::2/128"],
      endpoint: "[2001:db8::7]:51820",
      persistentKeepalive: 25,
      extra: [["UnknownPeerOption", "yes"]],
    },
  ],
};

describe("renderWgQuick", () => {
  it("writes every field in a fixed order, sections separated by a blank line", () => {
    expect(renderWgQuick(file)).toBe(`[Interface]
# Name = edge-1
PrivateKey = ${server.privateKey}
ListenPort = 51820
FwMark = 0xca6c
Address = 198.51.100.1/24, 2001:db8::1/64
DNS = 198.51.100.53, corp.example.com
MTU = 1420
Table = off
SaveConfig = false
PreUp = sysctl -w net.ipv4.ip_forward=1
PostUp = iptables -A FORWARD -i %i -j ACCEPT
PostUp = ip6tables -A FORWARD -i %i -j ACCEPT
PostDown = iptables -D FORWARD -i %i -j ACCEPT
Jc = 4

[Peer]
# Name = alice
PublicKey = ${alice.publicKey}
PresharedKey = ${psk}
AllowedIPs = 198.51.100.2/32, 2001:db8::2/128
Endpoint = [2001:db8::7]:51820
PersistentKeepalive = 25
UnknownPeerOption = yes
`);
    expect(parseWgQuick(renderWgQuick(file))).toStrictEqual(file);
  });

  it("writes an empty interface as just its header", () => {
    expect(renderWgQuick({ interface: emptyInterface(), peers: [] })).toBe("[Interface]\n");
  });

  it("trims values and writes the trimmed form", () => {
    const text = renderWgQuick({ ...file, interface: { ...file.interface, postUp: ["  echo hi  "] } });
    expect(text).toContain("PostUp = echo hi\n");
  });

  it("validates before writing anything, naming the field", () => {
    const bad = {
      ...file,
      peers: [{ ...file.peers[0], allowedIps: ["198.51.100.2/32", "nope"] }],
    } as WgQuickFile;
    expect(() => renderWgQuick(bad)).toThrow(ValidationError);
    expect(() => renderWgQuick(bad)).toThrow(/^peers\[0\]\.allowedIps: /);
    expect(() => renderWgQuick({ interface: emptyInterface(), peers: [{} as never] })).toThrow(
      /peers\[0\]\.publicKey: is required/,
    );
    expect(() => renderWgQuick({ interface: emptyInterface(), peers: "x" as never })).toThrow(
      /peers: must be a list/,
    );
    expect(() => renderWgQuick(null as never)).toThrow(/file: must be an object/);
  });

  it("refuses two peers with the same public key", () => {
    const peer = file.peers[0] as WgQuickFile["peers"][0];
    expect(() => renderWgQuick({ ...file, peers: [peer, { ...peer, name: "again" }] })).toThrow(
      /peers\[1\]\.publicKey/,
    );
  });

  it("bounds the whole file", () => {
    const peers = Array.from({ length: 40_000 }, () => ({
      publicKey: generateKeyPairFast(),
      allowedIps: [
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe/128",
      ],
      extra: [["Comment", "x".repeat(100)]] as Array<[string, string]>,
    }));
    expect(() => renderWgQuick({ interface: emptyInterface(), peers })).toThrow(
      /file: the rendered file is too long/,
    );
  });
});

let counter = 0;
function generateKeyPairFast(): string {
  const bytes = Buffer.alloc(32);
  bytes.writeUInt32BE(++counter);
  return bytes.toString("base64");
}

describe("renderWgSetconf", () => {
  it("keeps only what wg(8) reads", () => {
    expect(renderWgSetconf(file)).toBe(`[Interface]
PrivateKey = ${server.privateKey}
ListenPort = 51820
FwMark = 0xca6c

[Peer]
PublicKey = ${alice.publicKey}
PresharedKey = ${psk}
AllowedIPs = 198.51.100.2/32, 2001:db8::2/128
Endpoint = [2001:db8::7]:51820
PersistentKeepalive = 25
`);
  });

  it("validates too", () => {
    expect(() => renderWgSetconf({ ...file, interface: { ...file.interface, privateKey: "x" } })).toThrow(
      /interface\.privateKey/,
    );
  });
});
