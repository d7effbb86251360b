// Every interval, compares each live interface with its desired state and, as the interface's drift
// policy says, repairs the difference (an interface deleted by hand, a peer added or removed by
// `wg set`) or only reports it. One check at a time; errors are logged, not thrown.
import type { AgentLogger } from "../logging/logger.js";
import type { AgentService } from "./agent-service.js";

export class DriftLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly service: AgentService,
    private readonly intervalMs: number,
    private readonly logger: AgentLogger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass over every interface. */
  async checkAll(): Promise<void> {
    for (const name of this.service.interfaceNames()) {
      try {
        await this.service.checkDriftByPolicy(name);
      } catch (error) {
        this.logger.warn({ interface: name, err: error }, "drift check failed");
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.checkAll().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }
}
