// GET /metrics: Prometheus text exposition of the agent's interfaces (per interface, never per peer, so
// a 100,000-peer node stays cheap to scrape). Names are wgfleet_agent_*. No key material.
import { type HealthSource, interfaceHealth } from "./health.js";

interface Sample {
  labels?: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  type: "gauge" | "counter";
  help: string;
  samples: Sample[];
}

export async function renderMetrics(source: HealthSource, now = Date.now()): Promise<string> {
  const { service } = source;
  const names = service.interfaceNames();
  const healths = (await Promise.all(names.map((name) => interfaceHealth(service, name, now)))).filter(
    (h) => h !== null,
  );
  const per = (pick: (h: (typeof healths)[number]) => number): Sample[] =>
    healths.map((h) => ({ labels: { interface: h.name }, value: pick(h) }));
  const status = (name: string) => service.statuses.get(name);
  const families: Family[] = [
    {
      name: "wgfleet_agent_info",
      type: "gauge",
      help: "Agent version.",
      samples: [{ labels: { version: source.version }, value: 1 }],
    },
    {
      name: "wgfleet_agent_uptime_seconds",
      type: "gauge",
      help: "Seconds since the agent started.",
      samples: [{ value: (now - source.startedAt) / 1000 }],
    },
    {
      name: "wgfleet_agent_interfaces",
      type: "gauge",
      help: "Interfaces in the desired state.",
      samples: [{ value: names.length }],
    },
    {
      name: "wgfleet_agent_interface_up",
      type: "gauge",
      help: "1 when the interface is up.",
      samples: per((h) => (h.up ? 1 : 0)),
    },
    {
      name: "wgfleet_agent_desired_peers",
      type: "gauge",
      help: "Peers in the desired state.",
      samples: healths.map((h) => ({
        labels: { interface: h.name },
        value: service.desired(h.name).peerCount,
      })),
    },
    {
      name: "wgfleet_agent_peers",
      type: "gauge",
      help: "Peers on the live interface.",
      samples: per((h) => h.peerCount),
    },
    {
      name: "wgfleet_agent_active_peers",
      type: "gauge",
      help: "Peers with a handshake in the last 3 minutes.",
      samples: per((h) => h.activePeers),
    },
    {
      name: "wgfleet_agent_stray_peers",
      type: "gauge",
      help: "Live peers not in the desired state.",
      samples: per((h) => h.strayPeers.length),
    },
    {
      name: "wgfleet_agent_receive_bytes_total",
      type: "counter",
      help: "Bytes received from all peers.",
      samples: per((h) => h.rxBytes),
    },
    {
      name: "wgfleet_agent_transmit_bytes_total",
      type: "counter",
      help: "Bytes sent to all peers.",
      samples: per((h) => h.txBytes),
    },
    {
      name: "wgfleet_agent_revision",
      type: "gauge",
      help: "Desired-state revision.",
      samples: per((h) => h.revision),
    },
    {
      name: "wgfleet_agent_apply_errors_total",
      type: "counter",
      help: "Applies to the live interface that failed.",
      samples: per((h) => status(h.name).applyErrors),
    },
    {
      name: "wgfleet_agent_drift_repairs_total",
      type: "counter",
      help: "Drift checks that found the live interface differing and repaired it.",
      samples: per((h) => h.driftRepairs),
    },
    {
      name: "wgfleet_agent_drift_restored_total",
      type: "counter",
      help: "Peers and interfaces put back by drift repairs.",
      samples: per((h) => status(h.name).peersRestored),
    },
  ];
  return `${families.map(renderFamily).join("\n")}\n`;
}

function renderFamily(family: Family): string {
  const lines = [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`];
  for (const sample of family.samples)
    lines.push(`${family.name}${renderLabels(sample.labels)} ${formatValue(sample.value)}`);
  return lines.join("\n");
}

function renderLabels(labels: Record<string, string> | undefined): string {
  if (!labels || Object.keys(labels).length === 0) return "";
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `{${parts.join(",")}}`;
}

function escapeLabel(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');
}

function formatValue(value: number): string {
  return Number.isFinite(value) ? String(value) : "NaN";
}
