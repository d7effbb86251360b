// Real wireguard-go in a network namespace, through both control paths (UAPI socket and `wg`).
// Everything is checked with `wg show` / `ip` run independently inside the namespace.
import { readFile, rm } from "node:fs/promises";
import { generateKeyPair, generatePresharedKey, type InterfaceSpec, type PeerSpec } from "@wgfleet/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  bringUpClient,
  cleanupStale,
  createNamespace,
  ping,
  type TestNamespace,
} from "../../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../../test/support/privileges.js";
import { CommandError } from "../errors.js";
import { SystemWireGuardDriver } from "./system-driver.js";
import { findWireGuardGo, waitForExit } from "./wireguard-go.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "wdd";

interface DumpPeer {
  publicKey: string;
  presharedKey: string;
  allowedIps: string[];
  keepalive: string;
  handshake: number;
  rx: number;
}

async function wgDump(ns: TestNamespace, name: string) {
  const { stdout } = await ns.exec("wg", ["show", name, "dump"]);
  const [head, ...rest] = stdout.trim().split("\n");
  const [, publicKey, port] = (head ?? "").split("\t");
  const peers = new Map<string, DumpPeer>();
  for (const line of rest) {
    const f = line.split("\t");
    peers.set(f[0] as string, {
      publicKey: f[0] as string,
      presharedKey: f[1] as string,
      allowedIps: f[3] === "(none)" ? [] : (f[3] as string).split(",").sort(),
      keepalive: f[7] as string,
      handshake: Number(f[4]),
      rx: Number(f[5]),
    });
  }
  return { publicKey, port: Number(port), peers };
}

async function linkInfo(ns: TestNamespace, name: string) {
  const { stdout } = await ns.exec("ip", ["-j", "address", "show", "dev", name]);
  const link = JSON.parse(stdout)[0] as {
    ifindex: number;
    flags: string[];
    mtu: number;
    addr_info: Array<{ local: string; prefixlen: number; scope: string }>;
  };
  const addresses = link.addr_info
    .filter((a) => a.scope !== "link")
    .map((a) => `${a.local}/${a.prefixlen}`)
    .sort();
  return { ifindex: link.ifindex, up: link.flags.includes("UP"), mtu: link.mtu, addresses };
}

async function goPid(name: string, netns?: string): Promise<number | undefined> {
  return (await findWireGuardGo((n) => n === name, netns))[0];
}

function peer(last: number, extra: Partial<PeerSpec> = {}): PeerSpec {
  return { publicKey: generateKeyPair().publicKey, allowedIps: [`198.51.100.${last}/32`], ...extra };
}

describe.skipIf(skip)("SystemWireGuardDriver with real wireguard-go", () => {
  let ns: TestNamespace;
  let counter = 0;

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    ns = await createNamespace(PREFIX);
  });

  afterAll(async () => {
    await ns?.destroy();
  });

  describe.each(["uapi", "wg"] as const)("through %s", (path) => {
    let driver: SystemWireGuardDriver;
    let spec: InterfaceSpec;
    const server = generateKeyPair();

    const newSpec = (): InterfaceSpec => {
      counter += 1;
      return {
        name: `${ns.name}${path[0]}${counter}`,
        privateKey: server.privateKey,
        listenPort: 51000 + counter,
        addresses: ["198.51.100.1/24", "2001:db8::1/64"],
        mtu: 1380,
      };
    };

    afterEach(async () => {
      if (driver && spec) await driver.removeInterface(spec.name);
    });

    it("creates the interface with key, port, addresses and MTU, up, and is idempotent", async () => {
      driver = new SystemWireGuardDriver({ netns: ns.name, useUapi: path === "uapi" });
      spec = newSpec();
      await driver.ensureInterface(spec);
      expect(await driver.controlPath(spec.name)).toBe(path);
      const first = await linkInfo(ns, spec.name);
      const pid = await goPid(spec.name, ns.name);
      expect(pid).toBeGreaterThan(0);
      expect(first).toMatchObject({ up: true, mtu: 1380, addresses: ["198.51.100.1/24", "2001:db8::1/64"] });
      expect(await wgDump(ns, spec.name)).toMatchObject({
        publicKey: server.publicKey,
        port: spec.listenPort,
      });

      await driver.ensureInterface(spec);
      expect(await linkInfo(ns, spec.name)).toEqual(first);
      expect(await goPid(spec.name, ns.name)).toBe(pid);
      expect(await driver.listInterfaces()).toContain(spec.name);
    });

    it("changes addresses, port and MTU in place and leaves peers alone", async () => {
      driver = new SystemWireGuardDriver({ netns: ns.name, useUapi: path === "uapi" });
      spec = newSpec();
      await driver.ensureInterface(spec);
      const kept = peer(2);
      await driver.setPeers(spec.name, [kept]);
      const { ifindex } = await linkInfo(ns, spec.name);

      const changed = {
        ...spec,
        addresses: ["203.0.113.1/24", "2001:db8::1/64"],
        listenPort: spec.listenPort + 500,
        mtu: 1400,
      };
      await driver.ensureInterface(changed);
      const after = await linkInfo(ns, spec.name);
      expect(after).toEqual({
        ifindex,
        up: true,
        mtu: 1400,
        addresses: ["2001:db8::1/64", "203.0.113.1/24"],
      });
      const dump = await wgDump(ns, spec.name);
      expect(dump.port).toBe(spec.listenPort + 500);
      expect([...dump.peers.keys()]).toEqual([kept.publicKey]);
    });

    it("sets, updates and removes peers incrementally without taking the interface down", async () => {
      driver = new SystemWireGuardDriver({ netns: ns.name, useUapi: path === "uapi" });
      spec = newSpec();
      await driver.ensureInterface(spec);
      const before = await linkInfo(ns, spec.name);
      const pid = await goPid(spec.name, ns.name);
      expect(pid).toBeGreaterThan(0);
      const psk = generatePresharedKey();
      const [a, b, c] = [
        peer(2, { presharedKey: psk, persistentKeepalive: 25 }),
        peer(3),
        peer(4, { persistentKeepalive: 15 }),
      ];

      await driver.setPeers(spec.name, [a, b, c]);
      let dump = await wgDump(ns, spec.name);
      expect([...dump.peers.keys()].sort()).toEqual([a, b, c].map((p) => p.publicKey).sort());
      expect(dump.peers.get(a.publicKey)).toMatchObject({
        allowedIps: ["198.51.100.2/32"],
        keepalive: "25",
        presharedKey: psk,
      });
      expect(dump.peers.get(b.publicKey)).toMatchObject({
        allowedIps: ["198.51.100.3/32"],
        keepalive: "off",
        presharedKey: "(none)",
      });
      expect(dump.peers.get(c.publicKey)).toMatchObject({ keepalive: "15" });

      const live = await driver.readInterface(spec.name);
      expect(live).toMatchObject({
        name: spec.name,
        publicKey: server.publicKey,
        listenPort: spec.listenPort,
        up: true,
      });
      expect(live?.peers.find((p) => p.publicKey === a.publicKey)).toMatchObject({
        allowedIps: ["198.51.100.2/32"],
        persistentKeepalive: 25,
        endpoint: null,
      });
      expect(JSON.stringify(live)).not.toContain(psk);
      expect(JSON.stringify(live)).not.toContain(server.privateKey);

      // Update a: new allowed IPs, no keepalive, no preshared key. Remove b. c untouched.
      const a2: PeerSpec = { publicKey: a.publicKey, allowedIps: ["198.51.100.20/32", "2001:db8::20/128"] };
      await driver.setPeers(spec.name, [a2]);
      await driver.removePeers(spec.name, [b.publicKey, generateKeyPair().publicKey]);
      dump = await wgDump(ns, spec.name);
      expect([...dump.peers.keys()].sort()).toEqual([a.publicKey, c.publicKey].sort());
      expect(dump.peers.get(a.publicKey)).toMatchObject({
        allowedIps: ["198.51.100.20/32", "2001:db8::20/128"].sort(),
        keepalive: "off",
        presharedKey: "(none)",
      });
      expect(dump.peers.get(c.publicKey)).toMatchObject({ allowedIps: ["198.51.100.4/32"], keepalive: "15" });

      // Same link, same wireguard-go process, still up: the interface never went down.
      expect(await linkInfo(ns, spec.name)).toEqual(before);
      expect(await goPid(spec.name, ns.name)).toBe(pid);
    });

    it("applies a batch larger than one command line and removes it in chunks", async () => {
      driver = new SystemWireGuardDriver({ netns: ns.name, useUapi: path === "uapi" });
      spec = newSpec();
      await driver.ensureInterface(spec);
      const psk = generatePresharedKey();
      const many = Array.from({ length: 450 }, (_, i) => ({
        publicKey: generateKeyPair().publicKey,
        allowedIps: [`10.${i >> 8}.${i & 255}.1/32`],
        ...(i % 3 === 0 ? { presharedKey: psk } : {}),
      }));
      await driver.setPeers(spec.name, many);
      let dump = await wgDump(ns, spec.name);
      expect(dump.peers.size).toBe(450);
      expect(dump.peers.get(many[3]?.publicKey as string)).toMatchObject({
        presharedKey: psk,
        allowedIps: ["10.0.3.1/32"],
      });
      expect(dump.peers.get(many[4]?.publicKey as string)?.presharedKey).toBe("(none)");

      await driver.removePeers(
        spec.name,
        many.slice(0, 420).map((p) => p.publicKey),
      );
      dump = await wgDump(ns, spec.name);
      expect([...dump.peers.keys()].sort()).toEqual(
        many
          .slice(420)
          .map((p) => p.publicKey)
          .sort(),
      );
    });

    it("reads null for a missing interface and removes a missing one quietly", async () => {
      driver = new SystemWireGuardDriver({ netns: ns.name, useUapi: path === "uapi" });
      const missing = `${ns.name}${path[0]}x`;
      expect(await driver.readInterface(missing)).toBeNull();
      await expect(driver.removeInterface(missing)).resolves.toBeUndefined();
      await expect(driver.setPeers(missing, [peer(2)])).rejects.toThrow(/./);
    });

    it("removes the interface and stops its wireguard-go", async () => {
      driver = new SystemWireGuardDriver({ netns: ns.name, useUapi: path === "uapi" });
      spec = newSpec();
      await driver.ensureInterface(spec);
      const pid = await goPid(spec.name, ns.name);
      await driver.removeInterface(spec.name);
      expect(await driver.readInterface(spec.name)).toBeNull();
      expect(await goPid(spec.name, ns.name)).toBeUndefined();
      expect(pid).toBeGreaterThan(0);
      expect(await driver.listInterfaces()).not.toContain(spec.name);
    });
  });

  it("creates and removes an interface without a warning: the expected probe failures log at debug", async () => {
    const entries: Array<{ level: string; msg?: string; entry: object }> = [];
    const record =
      (level: string) =>
      (entry: object, msg?: string): void => {
        entries.push({ level, msg, entry });
      };
    const logger = {
      info: record("info"),
      warn: record("warn"),
      error: record("error"),
      debug: record("debug"),
    };
    const driver = new SystemWireGuardDriver({ netns: ns.name, logger });
    const name = `${ns.name}l`;
    try {
      await driver.ensureInterface({
        name,
        privateKey: generateKeyPair().privateKey,
        listenPort: 51832,
        addresses: ["198.51.100.1/24"],
      });
      expect(await driver.readInterface(`${name}z`)).toBeNull();
    } finally {
      await driver.removeInterface(name);
    }
    await driver.removeInterface(name); // already gone: "does not exist" again
    expect(entries.filter((e) => e.level === "warn" || e.level === "error")).toEqual([]);
    expect(entries.some((e) => e.level === "debug" && e.msg === "command failed as expected")).toBe(true);
  });

  it("forgets a remembered UAPI socket that went away and takes the path it would have taken without it", async () => {
    const driver = new SystemWireGuardDriver({ netns: ns.name });
    const spec: InterfaceSpec = {
      name: `${ns.name}g`,
      privateKey: generateKeyPair().privateKey,
      listenPort: 51833,
      addresses: ["198.51.100.1/24"],
    };
    try {
      await driver.ensureInterface(spec);
      await driver.setPeers(spec.name, [peer(2)]);
      expect(await driver.controlPath(spec.name)).toBe("uapi");
      // Deleted behind the driver's back: wireguard-go exits and takes its socket with it.
      const pid = await goPid(spec.name, ns.name);
      await ns.exec("ip", ["link", "del", "dev", spec.name]);
      await waitForExit(pid === undefined ? [] : [pid]);
      // Not a socket error on the stale path: `wg`, as for any interface without a socket.
      await expect(driver.setPeers(spec.name, [peer(3)])).rejects.toBeInstanceOf(CommandError);
      expect(await driver.controlPath(spec.name)).toBe("wg");
      // Re-created: the new socket is found and used.
      await driver.ensureInterface(spec);
      const b = peer(4);
      await driver.setPeers(spec.name, [b]);
      expect(await driver.controlPath(spec.name)).toBe("uapi");
      expect([...(await wgDump(ns, spec.name)).peers.keys()]).toEqual([b.publicKey]);
    } finally {
      await driver.removeInterface(spec.name);
    }
  });

  it("fails with the system's own words, and refuses a link that is not WireGuard", async () => {
    const driver = new SystemWireGuardDriver({ netns: ns.name });
    const base = {
      privateKey: generateKeyPair().privateKey,
      listenPort: 51830,
      addresses: ["198.51.100.1/24"],
    };
    // The veth end inside the namespace is a link of another type.
    await expect(driver.ensureInterface({ ...base, name: `${ns.name}n` })).rejects.toThrow(
      /is not a WireGuard interface \(veth\)/,
    );
    // The same name already served by a wireguard-go in the host namespace: the UAPI socket is taken.
    const taken = `${ns.name}q`;
    const host = new SystemWireGuardDriver();
    await host.ensureInterface({ ...base, name: taken });
    try {
      const hostPid = await goPid(taken);
      expect(hostPid).toBeGreaterThan(0);
      const failure = driver.ensureInterface({ ...base, name: taken });
      await expect(failure).rejects.toThrow(/UAPI listen error: unix socket in use/);
      await expect(failure).rejects.not.toThrow(base.privateKey);
      // Removing the name inside the namespace leaves the host's wireguard-go of the same name alone.
      await driver.removeInterface(taken);
      expect(await goPid(taken)).toBe(hostPid);
    } finally {
      await driver.removeInterface(taken);
      await host.removeInterface(taken);
    }
  });

  it("runs PreUp/PostUp/PreDown/PostDown hooks only when allowed", async () => {
    const hooked: InterfaceSpec = {
      name: `${ns.name}k`,
      privateKey: generateKeyPair().privateKey,
      listenPort: 51831,
      addresses: ["198.51.100.1/24"],
      hooks: {
        preUp: ["echo pre-up %i >> /tmp/wgfleet-hooks-%i"],
        postUp: ["echo post-up %i >> /tmp/wgfleet-hooks-%i"],
        preDown: ["echo pre-down %i >> /tmp/wgfleet-hooks-%i"],
        postDown: ["echo post-down %i >> /tmp/wgfleet-hooks-%i"],
      },
    };
    const log = `/tmp/wgfleet-hooks-${hooked.name}`;
    const read = () => readFile(log, "utf8").catch(() => "");
    try {
      const off = new SystemWireGuardDriver({ netns: ns.name });
      await off.ensureInterface(hooked);
      await off.removeInterface(hooked.name, hooked);
      expect(await read()).toBe("");

      const on = new SystemWireGuardDriver({ netns: ns.name, allowHooks: true });
      await on.ensureInterface(hooked);
      await on.ensureInterface(hooked); // exists already: no hooks again
      await on.removeInterface(hooked.name, hooked);
      const n = hooked.name;
      expect(await read()).toBe(`pre-up ${n}\npost-up ${n}\npre-down ${n}\npost-down ${n}\n`);
    } finally {
      await rm(log, { force: true });
    }
  });

  it("carries a tunnel from a wg-quick client namespace, and peer changes leave it up", async () => {
    const client = await createNamespace(PREFIX);
    const driver = new SystemWireGuardDriver({ netns: ns.name });
    const server = generateKeyPair();
    const me = generateKeyPair();
    const spec: InterfaceSpec = {
      name: `${ns.name}t`,
      privateKey: server.privateKey,
      listenPort: 51820,
      addresses: ["198.51.100.1/24"],
    };
    try {
      await driver.ensureInterface(spec);
      const clientPeer = { publicKey: me.publicKey, allowedIps: ["198.51.100.2/32"] };
      await driver.setPeers(spec.name, [clientPeer, peer(3), peer(4)]);
      const config = [
        "[Interface]",
        `PrivateKey = ${me.privateKey}`,
        "Address = 198.51.100.2/32",
        "DNS = 198.51.100.1",
        "",
        "[Peer]",
        `PublicKey = ${server.publicKey}`,
        `Endpoint = ${ns.nsAddress}:51820`,
        "AllowedIPs = 0.0.0.0/0",
        "PersistentKeepalive = 25",
        "",
      ].join("\n");
      await bringUpClient(client, config, `${client.name}c`);
      expect(await ping(client, "198.51.100.1", { count: 1, timeoutSec: 5 })).toBe(true);

      const before = await linkInfo(ns, spec.name);
      const pid = await goPid(spec.name, ns.name);
      expect(pid).toBeGreaterThan(0);
      const handshake = (await wgDump(ns, spec.name)).peers.get(me.publicKey)?.handshake ?? 0;
      expect(handshake).toBeGreaterThan(0);

      // Other peers come and go, and the client's own peer gains an address: same session throughout.
      const others = Array.from({ length: 40 }, (_, i) => peer(10 + i));
      await driver.setPeers(spec.name, [
        ...others,
        { ...clientPeer, allowedIps: ["198.51.100.2/32", "2001:db8::2/128"] },
      ]);
      await driver.removePeers(
        spec.name,
        others.slice(0, 20).map((p) => p.publicKey),
      );
      expect(await ping(client, "198.51.100.1", { count: 1, timeoutSec: 5 })).toBe(true);

      const after = (await wgDump(ns, spec.name)).peers.get(me.publicKey);
      expect(after?.handshake).toBe(handshake);
      expect(after?.allowedIps).toEqual(["198.51.100.2/32", "2001:db8::2/128"].sort());
      expect(await linkInfo(ns, spec.name)).toEqual(before);
      expect(await goPid(spec.name, ns.name)).toBe(pid);
    } finally {
      await driver.removeInterface(spec.name);
      await client.destroy();
    }
  });
});
