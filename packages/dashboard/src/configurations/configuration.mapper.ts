// The fields of a configuration that leave the service: its settings, its interfaces (public parts
// only) and its peer counts. The shape is core's ConfigurationDto, the one the web app reads.
import type { ConfigurationDto, InterfaceDto } from "@wgfleet/core";
import { parseSchedule } from "../lifecycle/peer-access.js";
import type { ConfigurationRow } from "./configuration.repository.js";

export type { ConfigurationDto as ConfigurationView };

export function toConfigurationView(row: ConfigurationRow, interfaces: InterfaceDto[]): ConfigurationDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    dns: JSON.parse(row.dns) as string[],
    clientAllowedIps: JSON.parse(row.client_allowed_ips) as string[],
    mtu: row.mtu,
    keepalive: row.keepalive,
    timeZone: row.time_zone,
    defaultSchedule: row.default_schedule === null ? null : parseSchedule(row.default_schedule),
    interfaces,
    peerCount: interfaces.reduce((sum, i) => sum + i.peerCount, 0),
    enabledPeerCount: interfaces.reduce((sum, i) => sum + i.enabledPeerCount, 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
