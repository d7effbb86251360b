// WGDashboard's systemStatus in its shape (CPU, memory, disks, interfaces, processes), of the
// dashboard's own host: what a status tile shows. Per-process lists are left empty.
import { cpus, freemem, totalmem } from "node:os";

export async function systemStatus() {
  const total = totalmem();
  const available = freemem();
  const perCpu = cpus().map((cpu) => {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    return all > 0 ? Math.round(((all - t.idle) / all) * 1000) / 10 : 0;
  });
  const average = perCpu.length ? perCpu.reduce((a, b) => a + b, 0) / perCpu.length : 0;
  return {
    CPU: { cpu_percent: Math.round(average * 10) / 10, cpu_percent_per_cpu: perCpu },
    Memory: {
      VirtualMemory: { total, available, percent: Math.round(((total - available) / total) * 1000) / 10 },
      SwapMemory: { total: 0, available: 0, percent: 0 },
    },
    Disks: [],
    NetworkInterfaces: {},
    NetworkInterfacesPriority: {},
    Processes: { cpu_top_10: [], memory_top_10: [] },
  };
}
