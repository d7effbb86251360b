import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InterfaceListing, LISTING_MAX_AGE_MS } from "./interface-listing.js";

const PROC_HEADER =
  "Inter-|   Receive                                                |  Transmit\n" +
  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
const procLine = (name: string) => `${name.padStart(6)}: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;

describe("InterfaceListing, on files laid out as /proc/self/net/dev and wireguard-go's socket folder", () => {
  let dir: string;
  let procNetDev: string;
  let runDir: string;
  /** What `wg show interfaces` would print now, and how often it was asked. */
  let wgAnswer: string[];
  let wgCalls: number;
  let now: number;
  let listing: InterfaceListing;

  const ownLinks = (...names: string[]) => writeFile(procNetDev, PROC_HEADER + names.map(procLine).join(""));
  const socket = (name: string) => writeFile(join(runDir, `${name}.sock`), "");

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-listing-"));
    procNetDev = join(dir, "net-dev");
    runDir = join(dir, "run");
    await mkdir(runDir);
    wgAnswer = [];
    wgCalls = 0;
    now = 1_000_000;
    listing = new InterfaceListing({
      wgShowInterfaces: async () => {
        wgCalls += 1;
        return [...wgAnswer];
      },
      runDir,
      ignore: (name) => name.startsWith("probe"),
      procNetDev,
      now: () => now,
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps only WireGuard interfaces that are links of this namespace, sorted, without probes", async () => {
    await ownLinks("lo", "wg1", "wg0", "probe1");
    wgAnswer = ["wg1", "other-ns", "wg0", "probe1"];
    expect(await listing.list()).toEqual(["wg0", "wg1"]);
  });

  it("asks `wg` again only when a link or a socket came or went", async () => {
    await ownLinks("lo", "wg0");
    await socket("wg0");
    wgAnswer = ["wg0"];
    expect(await listing.list()).toEqual(["wg0"]);
    expect(await listing.list()).toEqual(["wg0"]);
    expect(wgCalls).toBe(1);

    // Another namespace's wireguard-go starts: a socket appears in the shared folder.
    await socket("elsewhere");
    wgAnswer = ["wg0", "elsewhere"];
    expect(await listing.list()).toEqual(["wg0"]);
    expect(wgCalls).toBe(2);

    // A kernel WireGuard link appears here (no socket): the link list changed.
    await ownLinks("lo", "wg0", "wg9");
    wgAnswer = ["wg0", "wg9", "elsewhere"];
    expect(await listing.list()).toEqual(["wg0", "wg9"]);
    expect(wgCalls).toBe(3);

    // It goes again.
    await ownLinks("lo", "wg0");
    wgAnswer = ["wg0", "elsewhere"];
    expect(await listing.list()).toEqual(["wg0"]);
    expect(wgCalls).toBe(4);
  });

  it("asks `wg` again once the last answer is older than the age bound, even with nothing changed", async () => {
    await ownLinks("lo", "wg0");
    wgAnswer = ["wg0"];
    await listing.list();
    now += LISTING_MAX_AGE_MS - 1;
    await listing.list();
    expect(wgCalls).toBe(1);
    // A link remade under the same name as another kind is only seen this way.
    wgAnswer = [];
    now += 1;
    expect(await listing.list()).toEqual([]);
    expect(wgCalls).toBe(2);
  });

  it("reads a missing socket folder as no sockets, and a failed `wg` as a failure (nothing kept)", async () => {
    await rm(runDir, { recursive: true });
    await ownLinks("lo", "wg0");
    wgAnswer = ["wg0"];
    expect(await listing.list()).toEqual(["wg0"]);

    const failing = new InterfaceListing({
      wgShowInterfaces: async () => {
        throw new Error("wg failed");
      },
      runDir,
      ignore: () => false,
      procNetDev,
    });
    await expect(failing.list()).rejects.toThrow("wg failed");
  });

  it("does not let a caller change the kept answer", async () => {
    await ownLinks("lo", "wg0");
    wgAnswer = ["wg0"];
    (await listing.list()).push("changed");
    expect(await listing.list()).toEqual(["wg0"]);
  });
});
