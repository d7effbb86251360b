// CPU seconds a process has used, for benches that report how much work each process did beside the
// wall-clock figure (on a shared machine the wall clock mostly measures the other processes).
import { readdir, readFile } from "node:fs/promises";

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
export async function cpuSeconds(pid: number | null): Promise<number> {
  if (pid === null) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Every process's parent and CPU seconds at one moment (see processTable). */
export type ProcessTable = Map<number, ProcessEntry>;

/**
 * CPU seconds of a process, of its descendants still running, and of the children they already reaped
 * (cutime + cstime): everything a server like PostgreSQL, with a process per connection, has used.
 * NaN when the process is gone.
 */
export function treeCpuSeconds(table: ProcessTable, rootPid: number): number {
  const root = table.get(rootPid);
  if (!root) return Number.NaN;
  let total = root.cpu + root.reapedChildrenCpu;
  const pending = [rootPid];
  while (pending.length > 0) {
    const parent = pending.pop() as number;
    for (const entry of table.values()) {
      if (entry.ppid !== parent) continue;
      total += entry.cpu + entry.reapedChildrenCpu;
      pending.push(entry.pid);
    }
  }
  return total;
}

/** CPU seconds the whole machine spent busy (every core, everything but idle and iowait), from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] as string;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

interface ProcessEntry {
  pid: number;
  ppid: number;
  cpu: number;
  reapedChildrenCpu: number;
}

/** Every process's parent and CPU seconds, read once from /proc/PID/stat. */
export async function processTable(): Promise<ProcessTable> {
  const table: ProcessTable = new Map();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (stat === null) continue;
    // After the parenthesised name: state, ppid (2nd), ..., utime, stime, cutime, cstime (12th-15th).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    table.set(Number(entry), {
      pid: Number(entry),
      ppid: Number(fields[1]),
      cpu: (Number(fields[11]) + Number(fields[12])) / 100,
      reapedChildrenCpu: (Number(fields[13]) + Number(fields[14])) / 100,
    });
  }
  return table;
}
