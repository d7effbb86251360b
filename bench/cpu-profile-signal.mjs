// Loaded into a process under a bench with NODE_OPTIONS="--import <this file>" (Node refuses --cpu-prof
// there) when WGFLEET_BENCH_CPU_PROF_DIR is set: SIGUSR2 starts a V8 CPU profile, the next SIGUSR2
// writes it to that dir as PID-N.cpuprofile (N counts the profiles of this process), so a bench can
// profile exactly its timed window. Open the files in Chrome's DevTools (Performance tab).
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";

const dir = process.env.WGFLEET_BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  let running = false;
  let written = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      running = true;
      session.post("Profiler.enable", () => session.post("Profiler.start"));
      return;
    }
    running = false;
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      written += 1;
      writeFileSync(join(dir, `${process.pid}-${written}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
