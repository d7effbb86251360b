// The fields of a traffic answer that leave the dashboard, listed one by one (rates rounded to whole
// hundredths of a byte per second; byte counts are whole numbers already).
import type {
  NodeTrafficDto,
  TrafficDto,
  TrafficHistoryDto,
  TrafficPointDto,
  TrafficRateDto,
  TrafficTotalsDto,
} from "@wgfleet/core";

export function toTrafficDto(traffic: TrafficDto): TrafficDto {
  return {
    node: traffic.node,
    at: traffic.at,
    todayStart: traffic.todayStart,
    measuredAt: traffic.measuredAt,
    sampleSeconds: traffic.sampleSeconds,
    now: toRate(traffic.now),
    today: toTotals(traffic.today),
    nodes: traffic.nodes.map(toNodeTraffic),
    ...(traffic.series ? { series: traffic.series.map(toPoint) } : {}),
    ...(traffic.history ? { history: toHistory(traffic.history) } : {}),
  };
}

function toHistory(history: TrafficHistoryDto): TrafficHistoryDto {
  return {
    scope: history.scope,
    id: history.id,
    from: history.from,
    to: history.to,
    step: history.step,
    stepSeconds: history.stepSeconds,
    points: history.points.map(toPoint),
    ...(history.handshakes ? { handshakes: [...history.handshakes] } : {}),
  };
}

function toNodeTraffic(node: NodeTrafficDto): NodeTrafficDto {
  return { nodeId: node.nodeId, now: toRate(node.now), today: toTotals(node.today) };
}

function toRate(rate: TrafficRateDto): TrafficRateDto {
  return {
    rxBytesPerSecond: Math.round(rate.rxBytesPerSecond * 100) / 100,
    txBytesPerSecond: Math.round(rate.txBytesPerSecond * 100) / 100,
  };
}

function toTotals(totals: TrafficTotalsDto): TrafficTotalsDto {
  return { rxBytes: totals.rxBytes, txBytes: totals.txBytes };
}

function toPoint(point: TrafficPointDto): TrafficPointDto {
  return { at: point.at, rxBytes: point.rxBytes, txBytes: point.txBytes };
}
