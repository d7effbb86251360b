// The settings of an interface an admin may change in place (its keys, pools and name stay): the
// endpoint clients connect to, the listen port, the DNS and MTU clients get. Checked and reduced to
// what actually differs; an endpoint without a port of its own follows the listen port.
import {
  checkDnsList,
  formatEndpoint,
  parseEndpoint,
  parseInterfaceEndpoint,
  type UpdateInterfaceBody,
} from "@wgfleet/core";
import type { InterfaceRow } from "./interface.repository.js";

export type InterfaceSettings = Pick<InterfaceRow, "listen_port" | "endpoint" | "dns" | "mtu">;

/** The fields of `body` that differ from `row`, checked (errors name the field). */
export function settingsChanges(row: InterfaceRow, body: UpdateInterfaceBody): Partial<InterfaceSettings> {
  const listenPort = body.listenPort ?? row.listen_port;
  const next: InterfaceSettings = {
    listen_port: listenPort,
    endpoint: nextEndpoint(row, body, listenPort),
    dns: body.dns === undefined ? row.dns : body.dns === null ? null : JSON.stringify(checkDnsList(body.dns)),
    mtu: body.mtu === undefined ? row.mtu : body.mtu,
  };
  const changes: Partial<InterfaceSettings> = {};
  for (const key of Object.keys(next) as (keyof InterfaceSettings)[]) {
    if (next[key] !== row[key]) (changes as Record<string, unknown>)[key] = next[key];
  }
  return changes;
}

/**
 * The stored endpoint after the change: the one given (a bare host takes the listen port), null for
 * the node's default, or the stored one — moved to the new listen port when it was on the old one.
 */
function nextEndpoint(row: InterfaceRow, body: UpdateInterfaceBody, listenPort: number): string | null {
  if (body.endpoint === null) return null;
  if (body.endpoint !== undefined)
    return formatEndpoint(parseInterfaceEndpoint(body.endpoint.trim(), listenPort, "endpoint"));
  if (row.endpoint === null || listenPort === row.listen_port) return row.endpoint;
  const stored = parseEndpoint(row.endpoint);
  return stored.port === row.listen_port ? formatEndpoint({ ...stored, port: listenPort }) : row.endpoint;
}

/** Whether the node's own interface changes (its port or MTU), not only what clients are told. */
export function changesTheNode(changes: Partial<InterfaceSettings>): boolean {
  return changes.listen_port !== undefined || changes.mtu !== undefined;
}

/** The old values of exactly the fields a change touches (to put them back). */
export function previousSettings(
  row: InterfaceRow,
  changes: Partial<InterfaceSettings>,
): Partial<InterfaceSettings> {
  return Object.fromEntries(
    Object.keys(changes).map((key) => [key, row[key as keyof InterfaceSettings]]),
  ) as Partial<InterfaceSettings>;
}
