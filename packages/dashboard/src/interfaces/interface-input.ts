// The request to put a configuration on a node (`POST /api/v1/configurations/:name/interfaces`),
// checked: node id, listen port, pools (each must hold a gateway and a peer), endpoint, interface name.
import { formatEndpoint, PoolAllocator, parseEndpoint, ValidationError, WgFleetError } from "@wgfleet/core";
import { rejectUnknownFields, requireObject } from "../configurations/client-settings.js";
import { describePool, type InterfacePool } from "./interface-pools.js";

export interface AddInterfaceInput {
  nodeId: string;
  listenPort: number;
  pool: string;
  pool6?: string;
  endpoint?: string;
  interfaceName?: string;
}

const ADD_INTERFACE_FIELDS = ["nodeId", "listenPort", "pool", "pool6", "endpoint", "interfaceName"] as const;

export function validateAddInterface(raw: unknown): AddInterfaceInput {
  const input = requireObject(raw);
  rejectUnknownFields(input, ADD_INTERFACE_FIELDS);
  if (typeof input.nodeId !== "string" || input.nodeId.length === 0 || input.nodeId.length > 100) {
    throw new ValidationError("nodeId", "must be a node id");
  }
  const listenPort = input.listenPort;
  if (
    typeof listenPort !== "number" ||
    !Number.isInteger(listenPort) ||
    listenPort < 1 ||
    listenPort > 65535
  ) {
    throw new ValidationError("listenPort", "must be an integer from 1 to 65535");
  }
  for (const field of ["pool", "pool6", "endpoint", "interfaceName"] as const) {
    const value = input[field];
    if (value === undefined || (field !== "pool" && value === null)) continue;
    if (typeof value !== "string" || value.length > 300) throw new ValidationError(field, "must be a string");
  }
  if (input.pool === undefined) throw new ValidationError("pool", "is required");
  const result: AddInterfaceInput = { nodeId: input.nodeId, listenPort, pool: input.pool as string };
  if (typeof input.pool6 === "string") result.pool6 = input.pool6;
  if (typeof input.endpoint === "string")
    result.endpoint = formatEndpoint(parseEndpoint(input.endpoint.trim(), "endpoint"));
  if (typeof input.interfaceName === "string") result.interfaceName = input.interfaceName;
  return result;
}

/** `pool` is IPv4 (or IPv6 for an IPv6-only interface); `pool6` is IPv6. Each must hold a gateway and a peer. */
export function parsePools(input: AddInterfaceInput): InterfacePool[] {
  const pool = checkedPool(input.pool, "pool");
  if (input.pool6 === undefined) return [pool];
  const pool6 = checkedPool(input.pool6, "pool6");
  if (pool.cidr.address.version !== 4)
    throw new ValidationError("pool", "must be an IPv4 CIDR when pool6 is given");
  if (pool6.cidr.address.version !== 6) throw new ValidationError("pool6", "must be an IPv6 CIDR");
  return [pool, pool6];
}

function checkedPool(text: string, field: string): InterfacePool {
  const pool = describePool(text.trim(), field);
  try {
    new PoolAllocator(pool.cidr);
  } catch (error) {
    if (error instanceof WgFleetError) throw new ValidationError(field, error.message.replace(/^pool: /, ""));
    throw error;
  }
  return pool;
}
