import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { generateKeyPair } from "../keys/index.js";
import { parseWgQuick } from "./parse.js";

const server = generateKeyPair();
const alice = generateKeyPair();
const bob = generateKeyPair();

function failure(input: string | Uint8Array): ValidationError {
  try {
    parseWgQuick(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected parseWgQuick to fail");
}

describe("parseWgQuick", () => {
  it("reads a typical server file", () => {
    const file = parseWgQuick(`[Interface]
PrivateKey = ${server.privateKey}
ListenPort = 51820
Address = 198.51.100.1/24

[Peer]
PublicKey = ${alice.publicKey}
AllowedIPs = 198.51.100.2/32
`);
    expect(file).toStrictEqual({
      interface: {
        privateKey: server.privateKey,
        listenPort: 51820,
        addresses: ["198.51.100.1/24"],
        dns: [],
        preUp: [],
        postUp: [],
        preDown: [],
        postDown: [],
        extra: [],
      },
      peers: [{ publicKey: alice.publicKey, allowedIps: ["198.51.100.2/32"], extra: [] }],
    });
  });

  it("strips comments from '#' anywhere on a line, as wg-quick does", () => {
    const file = parseWgQuick(`[Interface] # here
PostUp = echo one # two
Address = 198.51.100.1/24 #, 198.51.100.2/24
`);
    expect(file.interface.postUp).toEqual(["echo one"]);
    expect(file.interface.addresses).toEqual(["198.51.100.1/24"]);
  });

  it("splits Address and DNS on commas and blanks, AllowedIPs on commas, across several lines", () => {
    const file = parseWgQuick(`[Interface]
Address = 198.51.100.1/24,2001:db8::1/64 203.0.113.1/24
Address = 2001:db8:1::1/64
DNS = 198.51.100.53 ,, corp.example.com
DNS=2001:db8::53
[Peer]
PublicKey = ${alice.publicKey}
AllowedIPs = 198.51.100.0/25 , 198.51.100.128/25,
AllowedIPs = ::/0
`);
    expect(file.interface.addresses).toEqual([
      "198.51.100.1/24",
      "2001:db8::1/64",
      "203.0.113.1/24",
      "2001:db8:1::1/64",
    ]);
    expect(file.interface.dns).toEqual(["198.51.100.53", "corp.example.com", "2001:db8::53"]);
    expect(file.peers[0]?.allowedIps).toEqual(["198.51.100.0/25", "198.51.100.128/25", "::/0"]);
  });

  it("rejects blank-separated AllowedIPs, which wg(8) cannot read", () => {
    const error = failure(
      `[Interface]\n[Peer]\nPublicKey = ${alice.publicKey}\nAllowedIPs = 198.51.100.0/25 198.51.100.128/25\n`,
    );
    expect(error.field).toBe("peers[0].allowedIps");
    expect(error.message).toMatch(/line 4/);
  });

  it("keeps hooks of each kind in order and unknown keys in order with their spelling", () => {
    const file = parseWgQuick(`[Interface]
postup = first
PreDown = down
PostUp = second
Jc = 4
PostUp = third
jMin = 40 = forty
[Peer]
PublicKey = ${alice.publicKey}
UnknownPeerOption = yes
`);
    expect(file.interface.postUp).toEqual(["first", "second", "third"]);
    expect(file.interface.preDown).toEqual(["down"]);
    expect(file.interface.extra).toEqual([
      ["Jc", "4"],
      ["jMin", "40 = forty"],
    ]);
    expect(file.peers[0]?.extra).toEqual([["UnknownPeerOption", "yes"]]);
  });

  it("reads Table, FwMark, MTU, SaveConfig and PersistentKeepalive = off", () => {
    const file = parseWgQuick(`[Interface]
Table = off
FwMark = 0xCA6C
MTU = 1420
SaveConfig = TRUE
[Peer]
PublicKey = ${alice.publicKey}
PersistentKeepalive = off
`);
    expect(file.interface).toMatchObject({ table: "off", fwMark: "0xCA6C", mtu: 1420, saveConfig: true });
    expect(file.peers[0]).not.toHaveProperty("persistentKeepalive");
  });

  describe("peer names", () => {
    it("takes a Name comment inside the section or just above its header", () => {
      const file = parseWgQuick(`[Interface]
PrivateKey = ${server.privateKey}

# Name = alice
[Peer]
PublicKey = ${alice.publicKey}

[Peer]
#friendly_name=bob
PublicKey = ${bob.publicKey}
`);
      expect(file.peers.map((p) => p.name)).toEqual(["alice", "bob"]);
      expect(file.interface).not.toHaveProperty("name");
    });

    it("gives [Interface] a name from a Name comment above or inside it", () => {
      expect(parseWgQuick("# Name = laptop\n[Interface]\n").interface.name).toBe("laptop");
      expect(parseWgQuick("[Interface]\n# NAME = laptop\nMTU = 1420\n").interface.name).toBe("laptop");
    });

    it("reads WGDashboard's #Name# inside a [Peer], wherever in the section it stands", () => {
      const file = parseWgQuick(`[Interface]
PrivateKey = ${server.privateKey}
[Peer]
#Name# = alice phone
PublicKey = ${alice.publicKey}
AllowedIPs = 198.51.100.2/32
[Peer]
PublicKey = ${bob.publicKey}
AllowedIPs = 198.51.100.3/32
#Name# = bob
`);
      expect(file.peers.map((p) => p.name)).toEqual(["alice phone", "bob"]);
    });

    it("reads wg-easy's # Client: name (id) above a [Peer], without the id", () => {
      const file = parseWgQuick(`[Interface]
PrivateKey = ${server.privateKey}

# Client: alice (9a1c2b3d-0000-4000-8000-000000000001)
[Peer]
PublicKey = ${alice.publicKey}

# Client: bob (2)
[Peer]
PublicKey = ${bob.publicKey}
`);
      expect(file.peers.map((p) => p.name)).toEqual(["alice", "bob"]);
    });

    it("validates names from every format: a control character is refused, never written", () => {
      const bad = failure(`[Interface]\n[Peer]\n#Name# = a\u0007b\nPublicKey = ${alice.publicKey}\n`);
      expect(bad.field).toBe("peers[0].name");
      const easy = failure(`[Interface]\n# Client: \u001bx (1)\n[Peer]\nPublicKey = ${alice.publicKey}\n`);
      expect(easy.field).toBe("peers[0].name");
    });

    it("ignores ordinary comments and an empty Name", () => {
      const file = parseWgQuick(
        `[Interface]\n[Peer]\n# alice's laptop\n# Name =\nPublicKey = ${alice.publicKey}\n`,
      );
      expect(file.peers[0]).not.toHaveProperty("name");
    });

    it("refuses two names for one peer, and validates the name", () => {
      const twice = failure(`[Interface]\n# Name = a\n[Peer]\n# Name = b\nPublicKey = ${alice.publicKey}\n`);
      expect(twice.field).toBe("peers[0].name");
      expect(twice.message).toMatch(/line 4: a second Name comment .* line 2/);
      const long = failure(
        `[Interface]\n[Peer]\n# Name = ${"n".repeat(300)}\nPublicKey = ${alice.publicKey}\n`,
      );
      expect(long.field).toBe("peers[0].name");
      expect(long.message).toMatch(/line 3: is too long/);
    });
  });

  it("accepts CRLF line endings, a BOM and tabs", () => {
    const text = `\ufeff[Interface]\r\n\tPrivateKey\t=\t${server.privateKey}\r\n[Peer]\r\nPublicKey=${alice.publicKey}\r\n`;
    const file = parseWgQuick(text);
    expect(file.interface.privateKey).toBe(server.privateKey);
    expect(parseWgQuick(Buffer.from(text, "utf8"))).toStrictEqual(file);
  });

  it("canonicalises keys whose unused base64 bits are set", () => {
    const sloppy = alice.publicKey.replace(/(.)=$/, (_m, c: string) => {
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      return `${alphabet[alphabet.indexOf(c) | 1]}=`;
    });
    expect(parseWgQuick(`[Interface]\n[Peer]\nPublicKey = ${sloppy}\n`).peers[0]?.publicKey).toBe(
      alice.publicKey,
    );
  });

  it.each([
    ["no [Interface]", `[Peer]\nPublicKey = ${alice.publicKey}\n`, "file", /no \[Interface\]/],
    ["a second [Interface]", "[Interface]\n[Interface]\n", "file", /line 2: a second \[Interface\].*line 1/],
    ["an unknown section", "[Interface]\n[Peers]\n", "file", /line 2: "\[Peers\]"/],
    ["a spaced header", "[Interface]\n[ Peer ]\n", "file", /line 2/],
    ["a key before any section", "MTU = 1420\n[Interface]\n", "file", /line 1/],
    ["a line without '='", "[Interface]\nMTU 1420\n", "interface", /line 2/],
    ["a ';' comment", "[Interface]\n; comment\n", "interface", /line 2/],
    ["a malformed key", "[Interface]\nPost Up = x\n", "interface", /line 2: "Post Up" is not a valid key/],
    [
      "a peer without PublicKey",
      "[Interface]\n\n[Peer]\nAllowedIPs = 198.51.100.2/32\n",
      "peers[0].publicKey",
      /line 3/,
    ],
    [
      "a duplicate single key",
      "[Interface]\nMTU = 1420\nmtu = 1380\n",
      "interface.mtu",
      /line 3: mtu appears twice .* line 2/,
    ],
    [
      "two peers with one key",
      `[Interface]\n[Peer]\nPublicKey = ${alice.publicKey}\n[Peer]\nPublicKey = ${alice.publicKey}\n`,
      "peers[1].publicKey",
      /same public key as peers\[0\]/,
    ],
    [
      "a bad key",
      "[Interface]\nPrivateKey = abc\n",
      "interface.privateKey",
      /line 2: must be a WireGuard key/,
    ],
    [
      "a bad port",
      "[Interface]\nListenPort = http\n",
      "interface.listenPort",
      /line 2: "http" is not a whole number/,
    ],
    ["a port out of range", "[Interface]\nListenPort = 70000\n", "interface.listenPort", /0 to 65535/],
    ["a bad SaveConfig", "[Interface]\nSaveConfig = yes\n", "interface.saveConfig", /neither true nor false/],
    ["a bad MTU", "[Interface]\nMTU = 100\n", "interface.mtu", /576 to 65535/],
  ])("rejects %s", (_label, text, field, message) => {
    const error = failure(text);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("keeps a peer's key found in [Interface] as an unknown interface key", () => {
    expect(parseWgQuick("[Interface]\nPublicKey = x\n").interface.extra).toEqual([["PublicKey", "x"]]);
  });

  it("never echoes a key in an error", () => {
    const almost = `${server.privateKey.slice(0, 40)}!!!=`;
    const error = failure(`[Interface]\nPrivateKey = ${almost}\n`);
    expect(error.message).not.toContain(almost.slice(0, 40));
  });

  it("names the field of a line that is not valid UTF-8", () => {
    const bytes = (text: string) => Buffer.from(text, "latin1");
    const cases: Array<[string, string]> = [
      [`[Interface]\nDNS = corp\xff.example.com\n`, "interface.dns"],
      [`[Interface]\n[Peer]\n# Name = M\xfcller\nPublicKey = ${alice.publicKey}\n`, "peers[0].name"],
      [`[Interface]\n[Peer]\nEndpoint = vpn\xc3.example.com:1\n`, "peers[0].endpoint"],
      [`[Interface]\nFoo = \xc0\xaf\n`, "interface.extra"],
      [`# caf\xe9\n[Interface]\n`, "file"],
    ];
    for (const [text, field] of cases) {
      const error = failure(bytes(text));
      expect(error.field).toBe(field);
      expect(error.message).toMatch(/not valid UTF-8/);
    }
  });

  it("bounds the whole file", () => {
    expect(failure(`[Interface]\n${"#".repeat(8 * 1024 * 1024)}`).field).toBe("file");
    expect(failure(new Uint8Array(8 * 1024 * 1024 + 1)).field).toBe("file");
  });
});
