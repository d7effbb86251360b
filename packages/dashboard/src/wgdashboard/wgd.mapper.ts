// wgfleet's peers and configurations in WGDashboard 4.3's shapes (its Peer.toJson, its
// WireguardConfiguration.toJson, PeerJob.toJson, PeerShareLink.toJson). Traffic in GB (2^30 bytes) as
// WGDashboard counts it. Never a private key: `PrivateKey` and `private_key` are always "".
import type { ConfigurationDto, PeerDto } from "@wgfleet/core";

const GB = 1024 ** 3;

export interface WgdJob {
  JobID: string;
  Configuration: string;
  Peer: string;
  Field: string;
  Operator: string;
  Value: string;
  CreationDate: string;
  ExpireDate: string | null;
  Action: string;
}

/** "2026-12-06 20:00:00" (UTC): WGDashboard's date format. */
export function wgdDate(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

/** WGDashboard's data fields by wgfleet's quota counting. */
export const FIELD_BY_COUNTING = { total: "total_data", rx: "total_receive", tx: "total_sent" } as const;

/** The schedule jobs a peer's quota and expiry stand for (WGDashboard keeps jobs; wgfleet keeps rules). */
export function jobsOf(peer: PeerDto): WgdJob[] {
  const jobs: WgdJob[] = [];
  const base = { Configuration: peer.configuration, Peer: peer.publicKey, Operator: "lgt", ExpireDate: null };
  if (peer.quota) {
    jobs.push({
      ...base,
      JobID: `${peer.id}-data`,
      Field: FIELD_BY_COUNTING[peer.quota.counting],
      Value: String(peer.quota.bytes / GB),
      CreationDate: wgdDate(peer.updatedAt),
      Action: peer.quota.action === "delete" ? "delete" : "restrict",
    });
  }
  if (peer.expiresAt) {
    jobs.push({
      ...base,
      JobID: `${peer.id}-date`,
      Field: "date",
      Value: wgdDate(peer.expiresAt),
      CreationDate: wgdDate(peer.updatedAt),
      Action: "restrict",
    });
  }
  return jobs;
}

/** `dns`: the configuration's DNS, for peers that follow it (null: unknown here, shown as ""). */
export function toWgdPeer(peer: PeerDto, configurationDns: readonly string[] | null = null) {
  const gb = (bytes: number) => bytes / GB;
  return {
    id: peer.publicKey,
    private_key: "",
    DNS: (peer.dns ?? configurationDns ?? []).join(","),
    endpoint_allowed_ip: peer.clientAllowedIps.join(", "),
    name: peer.name,
    total_receive: gb(peer.rx),
    total_sent: gb(peer.tx),
    total_data: gb(peer.rx + peer.tx),
    endpoint: peer.endpoint ?? "N/A",
    status: peer.online ? "running" : "stopped",
    latest_handshake: peer.latestHandshake ? handshakeAge(peer.latestHandshake) : "N/A",
    allowed_ip: peer.addresses.join(", "),
    cumu_receive: 0,
    cumu_sent: 0,
    cumu_data: 0,
    mtu: peer.mtu ?? 0,
    keepalive: peer.keepalive ?? 0,
    remote_endpoint: "",
    preshared_key: "",
    jobs: jobsOf(peer),
    ShareLink: [],
    // wgfleet's own: which node the peer was placed on.
    node: peer.node,
    interface: peer.interface,
  };
}

export type WgdPeer = ReturnType<typeof toWgdPeer>;

/** WGDashboard shows the handshake's age as "H:MM:SS". */
function handshakeAge(iso: string): string {
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** A configuration as WGDashboard lists it; `peers`: all of its peers (for the counts and usage). */
export function toWgdConfiguration(configuration: ConfigurationDto, peers: readonly PeerDto[]) {
  const first = configuration.interfaces[0];
  const rx = peers.reduce((sum, p) => sum + p.rx, 0);
  const tx = peers.reduce((sum, p) => sum + p.tx, 0);
  return {
    Status: configuration.interfaces.length > 0,
    Name: configuration.name,
    // Deliberately never the interfaces' private keys (WGDashboard returns its own here).
    PrivateKey: "",
    PublicKey: first?.publicKey ?? "",
    Address: configuration.interfaces.flatMap((i) => i.addresses).join(", "),
    ListenPort: first ? String(first.listenPort) : "",
    PreUp: "",
    PreDown: "",
    PostUp: "",
    PostDown: "",
    SaveConfig: false,
    DataUsage: { Total: (rx + tx) / GB, Sent: tx / GB, Receive: rx / GB },
    ConnectedPeers: peers.filter((p) => p.online).length,
    TotalPeers: peers.length,
    Protocol: "wg",
    Table: "",
    Info: { Description: configuration.description },
    // wgfleet's own: the configuration's interface on each node.
    Nodes: configuration.interfaces.map((i) => ({
      node: i.nodeId,
      interface: i.name,
      endpoint: i.endpoint,
      publicKey: i.publicKey,
      addresses: i.addresses,
    })),
  };
}
