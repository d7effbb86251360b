// The scale bench's CPU groups: every CPU second in exactly one group, on constructed process tables
// and on a real process tree this test starts.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import {
  groupCpuSeconds,
  type ProcessEntry,
  type ProcessTable,
  processTable,
} from "../../bench/process-cpu.js";

function table(
  ...entries: Array<[pid: number, ppid: number, cpu: number, reapedChildrenCpu?: number]>
): ProcessTable {
  return new Map(
    entries.map(([pid, ppid, cpu, reapedChildrenCpu = 0]): [number, ProcessEntry] => [
      pid,
      { pid, ppid, cpu, reapedChildrenCpu },
    ]),
  );
}

describe("groupCpuSeconds on a constructed table", () => {
  // init 1 ─ bench 10 ─┬─ agent 20 ─┬─ wg 21 (a short command, live)
  //                    │            └─ wireguard-go 30 (named in its own group) ─ 31 (its thread-less child)
  //                    ├─ postmaster 40 ─ backend 41
  //                    └─ replica 50
  // other 60 (below no root)
  const processes = table(
    [1, 0, 5, 100],
    [10, 1, 2, 0.5],
    [20, 10, 3, 1],
    [21, 20, 0.25],
    [30, 20, 7, 0.125],
    [31, 30, 0.5],
    [40, 10, 1, 4],
    [41, 40, 2],
    [50, 10, 6],
    [60, 1, 9],
  );

  it("counts a root below another group's root in its own group only", () => {
    const used = groupCpuSeconds(processes, { agents: [20], wireguardGo: [30] });
    expect(used).toEqual({ agents: 3 + 1 + 0.25, wireguardGo: 7 + 0.125 + 0.5 });
  });

  it("adds each process's reaped children (cutime + cstime) once, and the live descendants", () => {
    expect(groupCpuSeconds(processes, { postgres: [40] })).toEqual({ postgres: 1 + 4 + 2 });
  });

  it("leaves out what is below no root, and gives the top root what no nearer root claims", () => {
    const used = groupCpuSeconds(processes, {
      bench: [10],
      agents: [20],
      wireguardGo: [30],
      postgres: [40],
      replicas: [50],
    });
    expect(used).toEqual({ bench: 2.5, agents: 4.25, wireguardGo: 7.625, postgres: 7, replicas: 6 });
    // Every second under the bench process is in one group: the groups add up to the tree.
    const tree = [10, 20, 21, 30, 31, 40, 41, 50].reduce((sum, pid) => {
      const entry = processes.get(pid) as ProcessEntry;
      return sum + entry.cpu + entry.reapedChildrenCpu;
    }, 0);
    expect(Object.values(used).reduce((a, b) => a + b, 0)).toBe(tree);
  });

  it("sums the roots of a group; a missing root adds nothing", () => {
    expect(groupCpuSeconds(processes, { some: [50, 60, 999] })).toEqual({ some: 15 });
  });

  it("refuses a pid that is a root of two groups", () => {
    expect(() => groupCpuSeconds(processes, { a: [20], b: [20] })).toThrow(
      /process 20 is a root of both a and b/,
    );
  });

  it("ends on a parent loop", () => {
    expect(groupCpuSeconds(table([5, 6, 1], [6, 5, 1]), { x: [7] })).toEqual({ x: 0 });
  });
});

// ---- a real tree ------------------------------------------------------------------------------------

/** Node code that burns `seconds` of its own CPU (user time, whatever the machine's load). */
const burn = (seconds: number) =>
  `const t = process.cpuUsage(); while (process.cpuUsage(t).user < ${seconds * 1e6}) {}`;

// The parent runs a child that burns 0.2 s and exits (reaped: its time moves to the parent's cutime),
// then a child that burns 0.4 s and stays (until the parent is gone), and prints that child's pid.
const PARENT = `
const { spawn, spawnSync } = require("node:child_process");
spawnSync(process.execPath, ["-e", ${JSON.stringify(burn(0.2))}]);
const live = spawn(process.execPath, ["-e", ${JSON.stringify(`${burn(0.4)}; console.log("burnt"); const p = process.ppid; setInterval(() => { if (process.ppid !== p) process.exit(0); }, 200)`)}], { stdio: ["ignore", "pipe", "inherit"] });
live.stdout.once("data", () => console.log("ready " + live.pid));
`;

/** SIGKILL, ignoring a process that is gone already. */
function kill(pid: number | undefined): void {
  if (pid === undefined || Number.isNaN(pid)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

describe("groupCpuSeconds on a real process tree", () => {
  const started: number[] = [];
  afterEach(() => {
    for (const pid of started.splice(0)) kill(pid);
  });

  it("reads the reaped child from the parent's cutime and a named live child in its own group only", async () => {
    const parent = spawn(process.execPath, ["-e", PARENT], { stdio: ["ignore", "pipe", "inherit"] });
    const parentPid = parent.pid as number;
    started.push(parentPid);
    const [line] = (await once(parent.stdout, "data")) as [Buffer];
    const livePid = Number(/^ready (\d+)/.exec(line.toString())?.[1]);
    started.unshift(livePid);

    const processes = await processTable();
    const own = (pid: number) => {
      const entry = processes.get(pid) as ProcessEntry;
      return entry.cpu + entry.reapedChildrenCpu;
    };
    expect(processes.get(livePid)?.ppid).toBe(parentPid);
    expect(processes.get(parentPid)?.reapedChildrenCpu).toBeGreaterThanOrEqual(0.15);
    expect(processes.get(livePid)?.cpu).toBeGreaterThanOrEqual(0.35);

    const used = groupCpuSeconds(processes, { parent: [parentPid], live: [livePid] });
    // The parent's group: itself and the child it reaped, not the named live child's seconds again.
    expect(used.parent).toBeCloseTo(own(parentPid), 5);
    expect(used.live).toBeCloseTo(own(livePid), 5);
    const whole = groupCpuSeconds(processes, { tree: [parentPid] });
    expect(whole.tree).toBeCloseTo(own(parentPid) + own(livePid), 5);
  });
});
