// Run by sysfs-links.test.ts inside another network namespace: prints what a new SysfsLinks reads
// there for `NAME IFINDEX` ("untrusted" for undefined).
import { SysfsLinks } from "../sysfs-links.js";

const [name = "", ifindex = ""] = process.argv.slice(2);
const state = await new SysfsLinks().read(name, Number(ifindex));
process.stdout.write(JSON.stringify(state === undefined ? "untrusted" : state));
