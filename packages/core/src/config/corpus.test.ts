import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  commandPrerequisite,
  missingPrerequisites,
  rootPrerequisite,
} from "../../../../test/support/privileges.js";
import { parseWgQuick } from "./parse.js";
import { renderWgQuick, renderWgSetconf } from "./render.js";
import type { WgQuickFile } from "./types.js";

const corpusDir = new URL("../../test/fixtures/wg-quick/", import.meta.url);
const corpus = readdirSync(corpusDir)
  .filter((name) => name.endsWith(".conf"))
  .sort();
const read = (name: string) => readFileSync(new URL(name, corpusDir));

/** What each fixture must contain, so a parser that reads nothing cannot pass. */
const expected: Record<string, (file: WgQuickFile) => void> = {
  "client-full-tunnel.conf": (f) => {
    expect(f.interface).toMatchObject({ addresses: ["198.51.100.7/32"], dns: ["198.51.100.1"], mtu: 1420 });
    expect(f.peers[0]).toMatchObject({
      allowedIps: ["0.0.0.0/0", "::/0"],
      endpoint: "vpn.example.com:51820",
      persistentKeepalive: 25,
    });
    expect(f.peers[0]?.presharedKey).toMatch(/=$/);
  },
  "comments-everywhere.conf": (f) => {
    expect(f.interface).toMatchObject({ listenPort: 51900, addresses: ["198.51.100.129/25"] });
    expect(f.peers.map((p) => p.name)).toEqual(["alice", "bob # the second one"]);
    expect(f.peers.map((p) => p.allowedIps)).toEqual([["198.51.100.130/32"], ["198.51.100.133/32"]]);
    expect(f.peers[0]).not.toHaveProperty("persistentKeepalive");
  },
  "dual-stack-names-above.conf": (f) => {
    expect(f.interface.addresses).toEqual(["203.0.113.1/24", "2001:db8:1::1/64"]);
    expect(f.interface.dns).toEqual(["203.0.113.1", "2001:db8:1::1"]);
    expect(f.peers.map((p) => p.name)).toEqual(["office-router", "warehouse", undefined]);
    expect(f.peers[0]?.allowedIps).toEqual(["203.0.113.2/32", "2001:db8:1::2/128", "198.51.100.0/25"]);
    expect(f.peers[1]?.allowedIps).toEqual(["203.0.113.3/32", "2001:db8:1::3/128"]);
  },
  "hooks-iptables.conf": (f) => {
    expect(f.interface.preUp).toHaveLength(2);
    expect(f.interface.postUp).toHaveLength(5);
    expect(f.interface.preDown).toEqual(['logger -t wireguard "taking %i down"']);
    expect(f.interface.postDown[2]).toBe(
      "iptables -t nat -D POSTROUTING -s 198.51.100.0/24 -o eth0 -j MASQUERADE",
    );
  },
  "ipv6-only.conf": (f) => {
    expect(f.interface.addresses).toEqual(["2001:db8:100::1/64"]);
    expect(f.peers.map((p) => p.endpoint)).toEqual(["[2001:db8::7]:51821", "[2001:db8::8]:40000"]);
    expect(f.peers[1]?.allowedIps).toEqual(["2001:db8:100::3/128", "2001:db8:200::/48"]);
  },
  "large-server.conf": (f) => {
    expect(f.interface).toMatchObject({ name: "edge-1", table: "1234", mtu: 1420 });
    expect(f.peers).toHaveLength(7);
    expect(f.peers[6]?.name).toBe("client-8 (Müller & Søn, 東京)");
    expect(f.peers.every((p) => p.presharedKey !== undefined)).toBe(true);
  },
  "minimal.conf": (f) => {
    expect(f.interface.privateKey).toBeDefined();
    expect(f.peers[0]?.allowedIps).toEqual(["198.51.100.9"]);
  },
  "odd-case-crlf.conf": (f) => {
    expect(f.interface).toMatchObject({
      addresses: ["198.51.100.50/32"],
      dns: ["198.51.100.1", "198.51.100.2"],
      mtu: 1380,
      saveConfig: false,
    });
    expect(f.peers[0]).toMatchObject({
      allowedIps: ["0.0.0.0/1", "128.0.0.0/1"],
      endpoint: "vpn.example.com:443",
    });
    expect(f.peers[0]).not.toHaveProperty("persistentKeepalive");
  },
  "saveconfig.conf": (f) => {
    expect(f.interface).toMatchObject({ saveConfig: true, fwMark: "51820", listenPort: 51820 });
    expect(f.peers).toHaveLength(2);
  },
  "server-several-peers.conf": (f) => {
    expect(f.peers.map((p) => p.name)).toEqual([
      "alice-laptop",
      "bob-phone",
      "carol-desktop",
      "build-runner",
    ]);
    expect(f.interface.postUp[0]).toContain("MASQUERADE");
    expect(f.peers.filter((p) => p.presharedKey)).toHaveLength(2);
  },
  "site-to-site.conf": (f) => {
    expect(f.peers[0]).toMatchObject({
      name: "site-b",
      endpoint: "site-b.vpn.example.com:51820",
      allowedIps: ["198.51.100.254/32", "203.0.113.128/25"],
    });
  },
  "split-dns-search-domains.conf": (f) => {
    expect(f.interface.dns).toEqual(["198.51.100.53", "2001:db8::53", "corp.example.com", "example.net"]);
    expect(f.interface.mtu).toBe(1280);
  },
  "table-off-policy-routing.conf": (f) => {
    expect(f.interface).toMatchObject({ table: "off", fwMark: "0xca6c" });
    expect(f.interface.postUp).toHaveLength(3);
    expect(f.interface.preDown).toHaveLength(2);
  },
  "unknown-keys.conf": (f) => {
    expect(f.interface.extra.map(([k]) => k)).toEqual([
      "Jc",
      "Jmin",
      "Jmax",
      "S1",
      "S2",
      "H1",
      "H2",
      "H3",
      "H4",
      "ExcludedApplications",
    ]);
    expect(f.interface.extra.at(-1)).toEqual([
      "ExcludedApplications",
      "com.example.banking, com.example.maps",
    ]);
    expect(f.peers[0]?.extra).toEqual([["UnknownPeerOption", "yes"]]);
  },
};

/** The parts of a file wg(8) sees: no names, no wg-quick keys, no unknown keys. */
function wgView(file: WgQuickFile) {
  const { privateKey, listenPort, fwMark } = file.interface;
  return {
    interface: { privateKey, listenPort, fwMark },
    peers: file.peers.map(({ name: _name, extra: _extra, ...peer }) => peer),
  };
}

describe("the wg-quick corpus", () => {
  it("holds at least 10 files, each with expectations", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(expected).sort()).toEqual(corpus);
  });

  describe.each(corpus)("%s", (name) => {
    const parsed = parseWgQuick(read(name));

    it("parses to what the file says", () => {
      expected[name]?.(parsed);
    });

    it("reads the same from bytes and from a string", () => {
      expect(parseWgQuick(read(name).toString("utf8"))).toStrictEqual(parsed);
    });

    it("round-trips: parse -> render -> parse is the identity, and rendering is a fixed point", () => {
      const rendered = renderWgQuick(parsed);
      expect(parseWgQuick(rendered)).toStrictEqual(parsed);
      expect(renderWgQuick(parseWgQuick(rendered))).toBe(rendered);
    });

    it("renders to setconf with only wg(8) keys", () => {
      const setconf = renderWgSetconf(parsed);
      for (const line of setconf.split("\n").filter((l) => l.includes("="))) {
        expect(line).toMatch(
          /^(PrivateKey|ListenPort|FwMark|PublicKey|PresharedKey|AllowedIPs|Endpoint|PersistentKeepalive) = /,
        );
      }
      expect(wgView(parseWgQuick(setconf))).toStrictEqual(wgView(parsed));
    });
  });
});

const skipWgQuick = missingPrerequisites([rootPrerequisite(), commandPrerequisite("wg-quick")]);

describe.skipIf(skipWgQuick)("the corpus against `wg-quick strip`", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wgfleet-corpus-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** wg-quick's own reading of a file: what it would hand to `wg setconf`. */
  const strip = (text: string | Buffer) => {
    const path = join(dir, "wgcorpus.conf");
    writeFileSync(path, text, { mode: 0o600 }); // wg-quick warns about world-readable configs
    return execFileSync("wg-quick", ["strip", path], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  };

  it.each(corpus)(
    "%s: wg-quick strips the original and our rendering to what renderWgSetconf writes",
    (name) => {
      const parsed = parseWgQuick(read(name));
      const ours = wgView(parseWgQuick(renderWgSetconf(parsed)));
      expect(wgView(parseWgQuick(strip(read(name))))).toStrictEqual(ours);
      expect(wgView(parseWgQuick(strip(renderWgQuick(parsed))))).toStrictEqual(ours);
    },
  );
});
