// What the agent has observed about each interface while applying it: the last apply error, counts of
// apply errors and drift repairs, and the stray peers of the last check. Feeds health and metrics.

export interface DriftObservation {
  interfaceRestored: boolean;
  restored: number;
  stray: string[];
  strayRemoved: number;
  missing?: string[];
}

export interface InterfaceStatus {
  lastApplyError: string | null;
  applyErrors: number;
  /** Checks (periodic or explicit) that found the live interface differing and repaired it. */
  driftRepairs: number;
  /** Peers (and interfaces) put back by those repairs. */
  peersRestored: number;
  strayPeers: string[];
  strayRemoved: number;
  lastDriftCheck: number | null;
  /** When a check last changed the live interface (restored or removed something); ms. */
  lastRepairAt: number | null;
}

export class InterfaceStatusBook {
  private readonly statuses = new Map<string, InterfaceStatus>();

  get(name: string): InterfaceStatus {
    let status = this.statuses.get(name);
    if (!status) {
      status = {
        lastApplyError: null,
        applyErrors: 0,
        driftRepairs: 0,
        peersRestored: 0,
        strayPeers: [],
        strayRemoved: 0,
        lastDriftCheck: null,
        lastRepairAt: null,
      };
      this.statuses.set(name, status);
    }
    return status;
  }

  forget(name: string): void {
    this.statuses.delete(name);
  }

  applied(name: string): void {
    this.get(name).lastApplyError = null;
  }

  failed(name: string, error: unknown): void {
    const status = this.get(name);
    status.lastApplyError = error instanceof Error ? error.message : String(error);
    status.applyErrors += 1;
  }

  /** Records a drift check; returns whether it repaired anything. */
  drift(name: string, report: DriftObservation, now: number): boolean {
    const status = this.get(name);
    const repaired = report.interfaceRestored || report.restored > 0;
    if (repaired) {
      status.driftRepairs += 1;
      status.peersRestored += report.restored + (report.interfaceRestored ? 1 : 0);
    }
    // With removeStray the peers reported stray were also removed.
    status.strayPeers = report.strayRemoved > 0 ? [] : report.stray.slice(0, 1000);
    status.strayRemoved += report.strayRemoved;
    status.lastDriftCheck = now;
    if (repaired || report.strayRemoved > 0) status.lastRepairAt = now;
    status.lastApplyError = null;
    return repaired;
  }

  entries(): Array<[string, InterfaceStatus]> {
    return [...this.statuses.entries()];
  }
}
