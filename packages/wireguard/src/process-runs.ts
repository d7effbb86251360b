// Whether a process id names a running process: signal 0 checks without sending anything.

/** True while `pid` runs; EPERM means it runs as another user. */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
