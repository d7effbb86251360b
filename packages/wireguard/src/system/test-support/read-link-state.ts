// Run by sysfs-links.test.ts inside another network namespace: prints what readLinkFromSysfs answers
// there for `NAME IFINDEX` ("untrusted" for undefined).
import { readLinkFromSysfs } from "../sysfs-links.js";

const [name = "", ifindex = ""] = process.argv.slice(2);
const state = await readLinkFromSysfs(name, Number(ifindex));
process.stdout.write(JSON.stringify(state === undefined ? "untrusted" : state));
