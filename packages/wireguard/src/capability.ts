// Whether this process can serve WireGuard right now, kept fresh: the answer of a real probe (see
// SystemWireGuardDriver.probeCapability), cached for 15 minutes when good and a few seconds when not.
// A probe starts a wireguard-go process, so health polls never wait for one once an answer exists:
// they get the last answer and a stale one is refreshed in the background, one probe at a time.

export interface Capability {
  ok: boolean;
  /** Why not, in the system's words; null when ok. */
  reason: string | null;
}

export interface CapabilityMonitorOptions {
  /** How long a good answer is trusted. */
  okTtlMs?: number;
  /** How soon a bad answer is probed again. */
  failedTtlMs?: number;
  now?: () => number;
}

export class CapabilityMonitor {
  private cached: { capability: Capability; at: number } | null = null;
  private running: Promise<Capability> | null = null;
  private readonly okTtlMs: number;
  private readonly failedTtlMs: number;
  private readonly now: () => number;

  /** `probe` answers null when capable, else the reason. */
  constructor(
    private readonly probe: () => Promise<string | null>,
    options: CapabilityMonitorOptions = {},
  ) {
    this.okTtlMs = options.okTtlMs ?? 15 * 60_000;
    this.failedTtlMs = options.failedTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The last answer (a stale one starts a refresh in the background); before the first answer, the
   * first probe (shared by concurrent callers).
   */
  current(): Promise<Capability> {
    const cached = this.cached;
    if (!cached) return this.refresh();
    const ttl = cached.capability.ok ? this.okTtlMs : this.failedTtlMs;
    if (this.now() - cached.at >= ttl) void this.refresh();
    return Promise.resolve(cached.capability);
  }

  private refresh(): Promise<Capability> {
    this.running ??= this.probeNow().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Forgets the cached answer (e.g. after an apply failed), so the next call probes. */
  invalidate(): void {
    this.cached = null;
  }

  private async probeNow(): Promise<Capability> {
    let reason: string | null;
    try {
      reason = await this.probe();
    } catch (error) {
      reason = `capability probe failed: ${(error as Error).message}`;
    }
    const capability = { ok: reason === null, reason };
    this.cached = { capability, at: this.now() };
    return capability;
  }
}
