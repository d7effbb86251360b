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
 * CPU seconds per group of processes, each second counted in exactly one group. A group is named by
 * its root pids; a process belongs to the group of its nearest ancestor-or-self that is a root, so a
 * root below another group's root (a wireguard-go started by an agent, were it not to daemonize) is
 * counted in its own group and not again in the ancestor's. Each process adds its own utime + stime
 * and the cutime + cstime of the children it has reaped: the kernel moves a child's times into its
 * parent's cutime only when the parent reaps it, and a reaped child is no longer in /proc, so every
 * second is read once — from the child while it lives (a zombie included), from its parent after.
 * (The table is read file by file: a child reaped between the reads of its stat and its parent's is
 * missed or, were its pid below its parent's, read twice — a command's few milliseconds at most.)
 * Roots missing from the table add nothing. Processes that left a tree (a daemon reparented to init)
 * and the children of processes below no root are in no group.
 */
export function groupCpuSeconds<G extends string>(
  table: ProcessTable,
  groups: Record<G, readonly number[]>,
): Record<G, number> {
  const groupOf = new Map<number, G>();
  for (const [group, pids] of Object.entries(groups) as Array<[G, readonly number[]]>) {
    for (const pid of pids) {
      const other = groupOf.get(pid);
      if (other !== undefined && other !== group)
        throw new Error(`process ${pid} is a root of both ${other} and ${group}`);
      groupOf.set(pid, group);
    }
  }
  const totals = Object.fromEntries(Object.keys(groups).map((group) => [group, 0])) as Record<G, number>;
  for (const entry of table.values()) {
    const group = nearestGroup(table, groupOf, entry.pid);
    if (group !== null) totals[group] += entry.cpu + entry.reapedChildrenCpu;
  }
  return totals;
}

/** The group of the nearest ancestor-or-self of `pid` that is a root, or null when none is. */
function nearestGroup<G>(table: ProcessTable, groupOf: Map<number, G>, pid: number): G | null {
  // The depth bound guards against a parent loop, which a table read over time could in theory hold
  // when pids are reused between two reads.
  for (let current = pid, depth = 0; depth < table.size; depth += 1) {
    const group = groupOf.get(current);
    if (group !== undefined) return group;
    const entry = table.get(current);
    if (!entry || entry.ppid === 0 || entry.ppid === current) return null;
    current = entry.ppid;
  }
  return null;
}

/** CPU seconds the whole machine spent busy (every core, everything but idle and iowait), from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] as string;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
}

export interface ProcessEntry {
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
