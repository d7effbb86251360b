// The Alerts page, the banner every page shows while alerts fire, and the pool forecast.
export default {
  pageTitle: "Alerts",
  intro:
    "What needs attention in the fleet: nodes offline or degraded, address pools filling up, nodes that keep repairing drift, and peers losing their tunnels. An alert resolves by itself once its cause is gone.",
  banner: "{count} alert is firing | {count} alerts are firing",
  bannerLink: "Show alerts",
  empty: "No alerts. Everything looks fine.",
  filter: {
    label: "Show",
    all: "Firing and resolved",
    firing: "Firing",
    resolved: "Resolved",
  },
  state: {
    firing: "Firing",
    resolved: "Resolved",
  },
  kinds: {
    node_offline: "Node offline",
    node_degraded: "Node degraded",
    pool_full: "Pool almost full",
    drift_repairs: "Repeated drift repairs",
    handshakes_stale: "Peers without handshake",
  },
  columns: {
    state: "State",
    kind: "Alert",
    what: "What",
    fired: "Fired",
    resolved: "Resolved",
  },
  settings: {
    title: "Thresholds",
    intro: "When an alert fires. The next check (within one health interval) uses the new values.",
    poolFullPercent: "Pool almost full at (%)",
    poolFullPercentHelp: "Share of a pool's addresses in use, 1–100.",
    driftRepairsPerHour: "Drift repairs per hour",
    driftRepairsPerHourHelp: "Repairs on one node within an hour, 1–10,000.",
    staleHandshakePercent: "Peers without handshake (%)",
    staleHandshakePercentHelp:
      "Share of peers that have connected before but had no handshake for 3 minutes, 1–100.",
    saved: "Alert thresholds saved",
  },
  forecast: {
    days: "full in ~{days} day at the last 7 days' rate | full in ~{days} days at the last 7 days' rate",
  },
};
