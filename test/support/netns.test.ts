// The namespace harness itself, on real namespaces: addresses, reachability, teardown, and the
// cleanup of what a crashed run left behind.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { runCommand } from "@wgfleet/wireguard";
import { describe, expect, it } from "vitest";
import { adaptClientConfig, cleanupStale, createNamespace, ping, uniqueName } from "./netns.js";
import { claim, readRecord, STATE_DIR } from "./ownership.js";
import { missingPrerequisites, wireguardPrerequisites } from "./privileges.js";
import { overlapsUnderlay, releaseSlot, slotAddresses, slotOf, UNDERLAY } from "./underlay.js";

describe("adaptClientConfig", () => {
  it("drops DNS lines and splits default routes, leaving everything else as written", () => {
    const config = [
      "[Interface]",
      "PrivateKey = x",
      "Address = 198.51.100.2/32",
      "DNS = 198.51.100.1, example.net",
      "",
      "[Peer]",
      "AllowedIPs = 0.0.0.0/0, ::/0, 203.0.113.0/24",
      "Endpoint = 198.18.0.2:51820",
    ].join("\n");
    expect(adaptClientConfig(config)).toBe(
      [
        "[Interface]",
        "PrivateKey = x",
        "Address = 198.51.100.2/32",
        "",
        "[Peer]",
        "AllowedIPs = 0.0.0.0/1, 128.0.0.0/1, ::/1, 8000::/1, 203.0.113.0/24",
        "Endpoint = 198.18.0.2:51820",
      ].join("\n"),
    );
  });
});

describe("underlay addressing", () => {
  it("gives each slot its own /30 inside 198.18.0.0/16", () => {
    expect(slotAddresses(0)).toEqual({ index: 0, hostAddress: "198.18.0.1", nsAddress: "198.18.0.2" });
    expect(slotAddresses(63)).toEqual({ index: 63, hostAddress: "198.18.0.253", nsAddress: "198.18.0.254" });
    expect(slotAddresses(64)).toEqual({ index: 64, hostAddress: "198.18.1.1", nsAddress: "198.18.1.2" });
    expect(slotAddresses(1023)).toEqual({
      index: 1023,
      hostAddress: "198.18.15.253",
      nsAddress: "198.18.15.254",
    });
    expect(slotOf("198.18.0.6")).toBe(1);
    expect(slotOf("198.18.1.2")).toBe(64);
    expect(slotOf("198.19.0.2")).toBeNull();
    expect(slotOf("192.0.2.2")).toBeNull();
  });

  it("sees overlap with wider and narrower host networks, and none with the uplink", () => {
    expect(overlapsUnderlay("198.18.0.1", 24)).toBe(true);
    expect(overlapsUnderlay("198.19.255.1", 15)).toBe(true);
    expect(overlapsUnderlay("198.18.0.9", 30)).toBe(true);
    expect(overlapsUnderlay("198.18.200.1", 24)).toBe(true);
    expect(overlapsUnderlay("198.19.0.1", 24)).toBe(false);
    expect(overlapsUnderlay("192.0.2.2", 24)).toBe(false);
    expect(overlapsUnderlay("10.0.0.1", 8)).toBe(false);
  });

  it("makes short unique names", () => {
    const name = uniqueName("wdn");
    expect(name).toMatch(/^wdn[0-9a-f]{8}$/);
    expect(uniqueName("wdn")).not.toBe(name);
    expect(() => uniqueName("abcdefghij")).toThrow(/prefix/);
  });
});

const skip = missingPrerequisites(wireguardPrerequisites());

async function namespaces(): Promise<string[]> {
  const { stdout } = await runCommand("ip", ["-j", "netns", "list"]);
  return stdout.trim() ? (JSON.parse(stdout) as Array<{ name: string }>).map((n) => n.name) : [];
}

async function linkExists(name: string, netns?: string): Promise<boolean> {
  try {
    await runCommand("ip", ["link", "show", "dev", name], { netns });
    return true;
  } catch {
    return false;
  }
}

async function alive(pid: number): Promise<boolean> {
  try {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX]/.test(text);
  } catch {
    return false;
  }
}

async function wireguardGoPid(interfaceName: string): Promise<number> {
  const { stdout } = await runCommand("pgrep", ["-x", "-f", `wireguard-go ${interfaceName}`]);
  return Number(stdout.trim().split("\n")[0]);
}

describe.skipIf(skip)("test namespaces", () => {
  it("each get a /30 of 198.18.0.0/16, lo up, and reach the host and each other", async () => {
    await cleanupStale("wdn");
    const a = await createNamespace("wdn");
    const b = await createNamespace("wdn");
    try {
      for (const ns of [a, b]) {
        expect(ns.name).toMatch(/^wdn[0-9a-f]{8}$/);
        expect(ns.hostAddress).toMatch(/^198\.18\.0\.\d+$/);
        expect(slotOf(ns.nsAddress)).toBe(slotOf(ns.hostAddress));
      }
      expect(slotOf(a.nsAddress)).not.toBe(slotOf(b.nsAddress));
      expect(await ping(a, "127.0.0.1")).toBe(true);
      expect(await ping(a, a.hostAddress)).toBe(true);
      expect(await ping(a, b.nsAddress)).toBe(true);
      expect(await ping(b, a.nsAddress)).toBe(true);
      // An underlay address nobody holds is refused on the host, never sent out of the uplink.
      expect(await ping(a, "198.18.0.255", { timeoutSec: 1 })).toBe(false);
      const route = await runCommand("ip", ["route", "get", "198.18.0.255"]).catch((e: Error) => ({
        stdout: e.message,
      }));
      expect(route.stdout).not.toContain("eth0");
      const { stdout } = await a.exec("ip", ["-j", "-4", "address", "show"]);
      expect(stdout).not.toContain("192.0.2.");
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });

  it("the guard route lives only while a namespace holds a slot: the last destroy removes it", async () => {
    const ns = await createNamespace("wdn");
    const guard = async () => (await runCommand("ip", ["route", "show", "198.18.0.0/16"])).stdout;
    expect(await guard()).toContain("unreachable");
    await ns.destroy();
    // Tests in other files may still hold slots (then the route must stay); with none left it is gone.
    const slotsHeld = (await readdir(STATE_DIR)).some((entry) => entry.startsWith("slot-"));
    expect((await guard()).includes("unreachable")).toBe(slotsHeld);
  });

  it("a slot is given back only by the namespace its record names (a second teardown frees nothing)", async () => {
    // The last slot: the suite's namespaces take the lowest free ones.
    const index = String(UNDERLAY.slots - 1);
    const holder = uniqueName("wdn");
    expect(await claim("slot", index, holder)).toBe(true);
    try {
      await releaseSlot(Number(index), uniqueName("wdn"));
      expect((await readRecord("slot", index))?.extra).toBe(holder);
    } finally {
      await releaseSlot(Number(index), holder);
    }
    expect(await readRecord("slot", index)).toBeNull();
  });

  it("destroy removes the namespace, its veth, its WireGuard interfaces and its processes", async () => {
    const ns = await createNamespace("wdn");
    const ifname = `${ns.name}w`;
    await ns.exec("wireguard-go", [ifname], { env: { LOG_LEVEL: "" }, detached: true });
    const goPid = await wireguardGoPid(ifname);
    const sleeper = (
      await runCommand("ip", ["netns", "exec", ns.name, "sh", "-c", "sleep 60 >/dev/null 2>&1 & echo $!"])
    ).stdout;
    const sleepPid = Number(sleeper.trim());
    expect(await alive(goPid)).toBe(true);
    expect(await alive(sleepPid)).toBe(true);

    await ns.destroy();
    expect(await namespaces()).not.toContain(ns.name);
    expect(await linkExists(`${ns.name}h`)).toBe(false);
    expect(await alive(goPid)).toBe(false);
    expect(await alive(sleepPid)).toBe(false);
    await expect(stat(`/var/run/wireguard/${ifname}.sock`)).rejects.toThrow(/ENOENT/);
    await expect(stat(`${STATE_DIR}/ns-${ns.name}`)).rejects.toThrow(/ENOENT/);
  });

  it("cleanupStale removes a crashed run's namespaces and wireguard-go, and leaves live ones alone", async () => {
    const prefix = `wdn${randomBytes(2).toString("hex")}`;
    const live = await createNamespace(prefix);
    // What a test process killed with -9 leaves: a namespace with a veth and wireguard-go inside,
    // recorded as owned by a process that no longer exists, and one with no record at all.
    const crashed = [`${prefix}dead1`, `${prefix}dead2`];
    await mkdir(STATE_DIR, { recursive: true });
    await writeFile(`${STATE_DIR}/ns-${crashed[0]}`, "2147483646 1 \n");
    const pids: number[] = [];
    for (const name of crashed) {
      await runCommand("ip", ["netns", "add", name]);
      await runCommand("ip", ["link", "add", "dev", `${name}h`, "type", "veth", "peer", "name", `${name}n`]);
      await runCommand("ip", ["link", "set", "dev", `${name}n`, "netns", name]);
      await runCommand("wireguard-go", [`${name}w`], {
        netns: name,
        env: { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1", LOG_LEVEL: "" },
        detached: true,
      });
      pids.push(await wireguardGoPid(`${name}w`));
    }
    const liveGo = `${live.name}w`;
    await runCommand("wireguard-go", [liveGo], {
      netns: live.name,
      env: { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1", LOG_LEVEL: "" },
      detached: true,
    });
    try {
      await cleanupStale(prefix);
      const left = await namespaces();
      expect(left).toContain(live.name);
      for (const name of crashed) {
        expect(left).not.toContain(name);
        expect(await linkExists(`${name}h`)).toBe(false);
        await expect(stat(`/var/run/wireguard/${name}w.sock`)).rejects.toThrow(/ENOENT/);
      }
      for (const pid of pids) expect(await alive(pid)).toBe(false);
      expect(await linkExists(liveGo, live.name)).toBe(true);
      expect(await alive(await wireguardGoPid(liveGo))).toBe(true);
    } finally {
      await live.destroy();
      await cleanupStale(prefix);
    }
    expect(await namespaces()).not.toContain(live.name);
  });
});
