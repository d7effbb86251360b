// A process's resident memory, for benches that report what a server holds (VmRSS: what the kernel
// counts against it, the V8 heap, native allocations and the mapped binary alike).
import { readFile } from "node:fs/promises";

/** VmRSS of a process in MB, from /proc/PID/status. */
export async function rssMegabytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}
