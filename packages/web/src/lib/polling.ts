// Live updates without hammering the server: one run at a time, the next one an interval after the
// last finished, doubling the wait after each failure (up to a cap), and no runs while the tab is
// hidden (one at once when it shows again). Framework-free so it is tested with fake timers;
// usePolling wires it to a component's lifetime.
import { onBeforeUnmount, onMounted } from "vue";

export interface VisibilitySource {
  isHidden(): boolean;
  /** Calls back on every visibility change; returns the unsubscribe function. */
  onChange(callback: () => void): () => void;
}

export const documentVisibility: VisibilitySource = {
  isHidden: () => typeof document !== "undefined" && document.visibilityState === "hidden",
  onChange(callback) {
    if (typeof document === "undefined") return () => {};
    document.addEventListener("visibilitychange", callback);
    return () => document.removeEventListener("visibilitychange", callback);
  },
};

export interface PollerOptions {
  /** One refresh; a rejection counts as a failure and lengthens the wait. */
  run(signal: AbortSignal): Promise<void>;
  intervalMs: number;
  /** The longest wait after repeated failures. */
  maxIntervalMs?: number;
  visibility?: VisibilitySource;
}

export class Poller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: AbortController | null = null;
  private again = false;
  private active = false;
  private failureCount = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly visibility: VisibilitySource;

  constructor(private readonly options: PollerOptions) {
    this.visibility = options.visibility ?? documentVisibility;
  }

  /** Consecutive failed runs (0 after a success). */
  get failures(): number {
    return this.failureCount;
  }

  /** The wait before the next run: the interval, doubled per consecutive failure, capped. */
  get delayMs(): number {
    const max = this.options.maxIntervalMs ?? this.options.intervalMs * 16;
    return Math.min(this.options.intervalMs * 2 ** this.failureCount, max);
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.unsubscribe = this.visibility.onChange(() => this.visibilityChanged());
    if (!this.visibility.isHidden()) void this.tick();
  }

  stop(): void {
    this.active = false;
    this.clearTimer();
    this.running?.abort();
    this.running = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Runs now (or right after the run in progress), then resumes the schedule. */
  refreshNow(): void {
    if (!this.active) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer();
    void this.tick();
  }

  private visibilityChanged(): void {
    if (!this.active) return;
    if (this.visibility.isHidden()) this.clearTimer();
    else this.refreshNow();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const controller = new AbortController();
    this.running = controller;
    try {
      await this.options.run(controller.signal);
      this.failureCount = 0;
    } catch {
      if (!controller.signal.aborted) this.failureCount++;
    }
    if (this.running !== controller) return; // stopped meanwhile
    this.running = null;
    if (!this.active) return;
    if (this.again) {
      this.again = false;
      void this.tick();
      return;
    }
    if (!this.visibility.isHidden()) this.timer = setTimeout(() => void this.tick(), this.delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** A poller that starts when the component mounts and stops when it unmounts. */
export function usePolling(options: PollerOptions): Poller {
  const poller = new Poller(options);
  onMounted(() => poller.start());
  onBeforeUnmount(() => poller.stop());
  return poller;
}
