// CPU seconds a process has used, for benches that report how much work each process did beside the
// wall-clock figure (on a shared machine the wall clock mostly measures the other processes).
import { readFile } from "node:fs/promises";

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat. */
export async function cpuSeconds(pid: number | null): Promise<number> {
  if (pid === null) return Number.NaN;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
