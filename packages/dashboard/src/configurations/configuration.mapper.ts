// The fields of a configuration that leave the service: its settings, its interfaces (public parts
// only) and its peer counts.
import type { InterfaceView } from "../interfaces/interface.mapper.js";
import type { ConfigurationRow } from "./configuration.repository.js";

export interface ConfigurationView {
  id: string;
  name: string;
  description: string;
  dns: string[];
  clientAllowedIps: string[];
  mtu: number | null;
  keepalive: number | null;
  interfaces: InterfaceView[];
  peerCount: number;
  enabledPeerCount: number;
  createdAt: string;
  updatedAt: string;
}

export function toConfigurationView(row: ConfigurationRow, interfaces: InterfaceView[]): ConfigurationView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    dns: JSON.parse(row.dns) as string[],
    clientAllowedIps: JSON.parse(row.client_allowed_ips) as string[],
    mtu: row.mtu,
    keepalive: row.keepalive,
    interfaces,
    peerCount: interfaces.reduce((sum, i) => sum + i.peerCount, 0),
    enabledPeerCount: interfaces.reduce((sum, i) => sum + i.enabledPeerCount, 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
