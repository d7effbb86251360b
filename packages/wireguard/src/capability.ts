// Whether this process can serve WireGuard right now, kept fresh: the answer of a real probe (see
// SystemWireGuardDriver.probeCapability), cached for a minute when good and a few seconds when not,
// so health polls never start more than one probe at a time and a fixed machine is seen soon.

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
    this.okTtlMs = options.okTtlMs ?? 60_000;
    this.failedTtlMs = options.failedTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached answer while fresh; otherwise one probe (shared by concurrent callers). */
  current(): Promise<Capability> {
    const cached = this.cached;
    if (cached) {
      const ttl = cached.capability.ok ? this.okTtlMs : this.failedTtlMs;
      if (this.now() - cached.at < ttl) return Promise.resolve(cached.capability);
    }
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
