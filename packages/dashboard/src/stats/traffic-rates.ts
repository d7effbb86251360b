// "Traffic now": the rate each interface's peers moved bytes at between its last two readings, kept
// in memory by the stats poller (a rate is only meaningful while polls keep coming, so it is never
// stored). Also the sample buckets the stored history is kept in. Pure; no I/O.
import { nowIso } from "../clock.js";

/** Width of one stored traffic sample bucket. */
export const SAMPLE_BUCKET_MS = 60_000;

/** The start of the bucket `atMs` falls in, as stored (ISO text). */
export function bucketStart(atMs: number, bucketMs = SAMPLE_BUCKET_MS): string {
  return nowIso(Math.floor(atMs / bucketMs) * bucketMs);
}

export interface ByteCounts {
  rxBytes: number;
  txBytes: number;
}

export interface Rate {
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
}

interface InterfaceRate extends Rate {
  nodeId: string;
  measuredAt: number;
}

export class TrafficRates {
  /** Interface id → when it was last read (ms). */
  private readonly readAt = new Map<string, number>();
  private readonly rates = new Map<string, InterfaceRate>();

  /** One more reading of an interface: `moved` is what its peers moved since its previous reading. */
  observe(interfaceId: string, nodeId: string, moved: ByteCounts, atMs: number): void {
    const previous = this.readAt.get(interfaceId);
    this.readAt.set(interfaceId, atMs);
    // The first reading in this process covers an unknown span (the dashboard was down, or the peers
    // are new): counted in the history, but no rate.
    if (previous === undefined || atMs <= previous) return;
    const seconds = (atMs - previous) / 1000;
    this.rates.set(interfaceId, {
      nodeId,
      rxBytesPerSecond: moved.rxBytes / seconds,
      txBytesPerSecond: moved.txBytes / seconds,
      measuredAt: atMs,
    });
  }

  /** The interface was not read (its node is skipped, the read failed, it is gone): no rate until two readings again. */
  forget(interfaceId: string): void {
    this.readAt.delete(interfaceId);
    this.rates.delete(interfaceId);
  }

  /** Interfaces with a reading, for pruning the ones that disappeared. */
  interfaceIds(): string[] {
    return [...this.readAt.keys()];
  }

  /** Per node, the sum of its interfaces' rates measured no longer than `maxAgeMs` before `nowMs`. */
  current(nowMs: number, maxAgeMs: number): { byNode: Map<string, Rate>; measuredAt: number | null } {
    const byNode = new Map<string, Rate>();
    let measuredAt: number | null = null;
    for (const rate of this.rates.values()) {
      if (nowMs - rate.measuredAt > maxAgeMs) continue;
      const sum = byNode.get(rate.nodeId) ?? { rxBytesPerSecond: 0, txBytesPerSecond: 0 };
      sum.rxBytesPerSecond += rate.rxBytesPerSecond;
      sum.txBytesPerSecond += rate.txBytesPerSecond;
      byNode.set(rate.nodeId, sum);
      measuredAt = Math.max(measuredAt ?? 0, rate.measuredAt);
    }
    return { byNode, measuredAt };
  }
}
