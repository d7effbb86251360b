import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createNamespace, type TestNamespace } from "../../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../../test/support/privileges.js";
import { parseProcNetDev, SYSFS_DISTRUST_MS, SysfsLinks, type SysfsPaths } from "./sysfs-links.js";

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const CHILD = fileURLToPath(new URL("./test-support/read-link-state.ts", import.meta.url));

const PROC_HEADER =
  "Inter-|   Receive                                                |  Transmit\n" +
  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";
/** One read by a new reader: what the driver's reader answers before it has distrusted anything. */
const readOnce = (name: string, ifindex: number, paths: SysfsPaths) =>
  new SysfsLinks(paths).read(name, ifindex);
const procLine = (name: string) => `${name.padStart(6)}: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n`;

describe("a first read through SysfsLinks, on files laid out as sysfs and /proc/net/dev", () => {
  let dir: string;
  let paths: SysfsPaths;

  /** A link as sysfs shows it: a symbolic link in class/net to its device directory. */
  const addLink = async (name: string, files: { ifindex: number; flags: string; mtu: number }) => {
    const device = join(dir, "devices", name);
    await mkdir(device, { recursive: true });
    await writeFile(join(device, "ifindex"), `${files.ifindex}\n`);
    await writeFile(join(device, "flags"), `${files.flags}\n`);
    await writeFile(join(device, "mtu"), `${files.mtu}\n`);
    await symlink(device, join(paths.classNet, name));
  };
  const ownNamespace = (...names: string[]) =>
    writeFile(paths.procNetDev, PROC_HEADER + names.map(procLine).join(""));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "wgfleet-sysfs-"));
    paths = { classNet: join(dir, "class-net"), procNetDev: join(dir, "proc-net-dev") };
    await mkdir(paths.classNet);
    await addLink("lo", { ifindex: 1, flags: "0x9", mtu: 65536 });
    await addLink("wg0", { ifindex: 7, flags: "0x1091", mtu: 1420 });
    // Not a link: sysfs has such a file when the bonding module is loaded.
    await writeFile(join(paths.classNet, "bonding_masters"), "\n");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the admin state and MTU when sysfs lists exactly the process's interfaces", async () => {
    await ownNamespace("lo", "wg0");
    expect(await readOnce("wg0", 7, paths)).toEqual({ up: true, mtu: 1420 });
  });

  it("reads a link that is down as down", async () => {
    await rm(join(paths.classNet, "wg0"));
    await addLink("wg1", { ifindex: 8, flags: "0x1090", mtu: 1380 });
    await ownNamespace("lo", "wg1");
    expect(await readOnce("wg1", 8, paths)).toEqual({ up: false, mtu: 1380 });
  });

  it("answers null when the process's namespace has no such link, whatever sysfs shows", async () => {
    await ownNamespace("lo");
    expect(await readOnce("wg0", 7, paths)).toBeNull();
  });

  it("does not trust sysfs that lists other interfaces than the process's own (another namespace's)", async () => {
    await ownNamespace("lo", "wg0", "veth0");
    expect(await readOnce("wg0", 7, paths)).toBeUndefined();
  });

  it("does not trust a link with another index (a link of the same name made since)", async () => {
    await ownNamespace("lo", "wg0");
    expect(await readOnce("wg0", 6, paths)).toBeUndefined();
  });

  it("does not trust a read that fails half way (the link went meanwhile)", async () => {
    await ownNamespace("lo", "wg0");
    await rm(join(dir, "devices", "wg0", "mtu"));
    expect(await readOnce("wg0", 7, paths)).toBeUndefined();
  });

  describe("SysfsLinks", () => {
    let time = 0;
    const reader = () => new SysfsLinks(paths, () => time);

    it("leaves sysfs unread for a while once it listed another namespace's interfaces, then reads it again", async () => {
      const links = reader();
      await ownNamespace("lo", "wg0", "veth0");
      expect(await links.read("wg0", 7)).toBeUndefined();
      // From here sysfs would be believed: an answer other than undefined means it was read.
      await ownNamespace("lo", "wg0");
      time += SYSFS_DISTRUST_MS - 1;
      expect(await links.read("wg0", 7)).toBeUndefined();
      time += 1;
      expect(await links.read("wg0", 7)).toEqual({ up: true, mtu: 1420 });
    });

    it("keeps reading sysfs after a refusal of one link (another index, made since)", async () => {
      const links = reader();
      await ownNamespace("lo", "wg0");
      expect(await links.read("wg0", 6)).toBeUndefined();
      expect(await links.read("wg0", 7)).toEqual({ up: true, mtu: 1420 });
    });
  });

  it("parses the interface names of /proc/net/dev", () => {
    expect([...parseProcNetDev(PROC_HEADER + procLine("lo") + procLine("wg-a.b"))]).toEqual(["lo", "wg-a.b"]);
  });
});

const skip = missingPrerequisites(wireguardPrerequisites());

describe.skipIf(skip)("SysfsLinks in a network namespace of its own", () => {
  let ns: TestNamespace;
  /** Named as the host's end of the namespace's veth: a link of this name exists in both namespaces. */
  let link: string;
  let ifindex: number;

  const ipInNamespace = (args: string[]) => run("ip", ["-n", ns.name, ...args]);
  const readThere = async (enter: string[]): Promise<unknown> => {
    const child = [process.execPath, "--import", "tsx", CHILD, link, String(ifindex)];
    const { stdout } = await run(enter[0] as string, [...enter.slice(1), ...child], { cwd: repoRoot });
    return JSON.parse(stdout);
  };
  const viaIpNetnsExec = () => readThere(["ip", "netns", "exec", ns.name]);

  beforeAll(async () => {
    ns = await createNamespace("sfs");
    link = `${ns.name}h`;
    // A veth pair inside the namespace: a link of any type will do, and it reaches nothing.
    await ipInNamespace([
      "link",
      "add",
      "dev",
      link,
      "mtu",
      "1380",
      "type",
      "veth",
      "peer",
      "name",
      `${ns.name}x`,
    ]);
    const { stdout } = await ipInNamespace(["-j", "link", "show", "dev", link]);
    ifindex = (JSON.parse(stdout) as Array<{ ifindex: number }>)[0]?.ifindex ?? Number.NaN;
  }, 30_000);
  afterAll(async () => {
    await ns?.destroy();
  });

  it("under `ip netns exec` (sysfs mounted for the namespace): the link's state, down then up", async () => {
    expect(await viaIpNetnsExec()).toEqual({ up: false, mtu: 1380 });
    await ipInNamespace(["link", "set", "dev", link, "up"]);
    expect(await viaIpNetnsExec()).toEqual({ up: true, mtu: 1380 });
  }, 30_000);

  it("under `nsenter --net` (the host's sysfs, holding a link of the same name): not trusted", async () => {
    expect(await readThere(["nsenter", `--net=/run/netns/${ns.name}`])).toBe("untrusted");
  }, 30_000);

  it("a link deleted: null", async () => {
    await ipInNamespace(["link", "delete", "dev", link]);
    expect(await viaIpNetnsExec()).toBeNull();
  }, 30_000);
});
