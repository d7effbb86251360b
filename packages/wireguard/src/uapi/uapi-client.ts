// Talks to a wireguard-go process over its control socket (`/var/run/wireguard/NAME.sock`), no
// process started. Each interface's socket is found once and then kept open (uapi-connection.ts), so a
// call costs neither a `stat` nor a connect.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { UapiError } from "../errors.js";
import { UapiConnection } from "./uapi-connection.js";
import { GET_REQUEST, parseGetResponse, setRequest, splitErrno, type UapiDevice } from "./uapi-text.js";

export const DEFAULT_RUN_DIR = "/var/run/wireguard";

export function socketPath(runDir: string, name: string): string {
  return join(runDir, `${name}.sock`);
}

/** Whether a UAPI socket file exists for the interface (wireguard-go, not the kernel module). */
export async function hasUapiSocket(runDir: string, name: string): Promise<boolean> {
  try {
    return (await stat(socketPath(runDir, name))).isSocket();
  } catch {
    return false;
  }
}

/**
 * Each interface's UAPI connection, once its socket is found. It stays until `forget` (the interface
 * was removed, or a connection found the socket gone); an interface without a socket is looked up again
 * on every call, since wireguard-go may start serving it later.
 */
export class UapiSockets {
  private readonly known = new Map<string, UapiConnection>();

  constructor(readonly runDir: string) {}

  /** The interface's connection when wireguard-go serves it, else null. */
  async resolve(name: string): Promise<UapiConnection | null> {
    const cached = this.known.get(name);
    if (cached !== undefined) return cached;
    if (!(await hasUapiSocket(this.runDir, name))) return null;
    const connection = new UapiConnection(socketPath(this.runDir, name), name);
    this.known.set(name, connection);
    return connection;
  }

  isCached(name: string): boolean {
    return this.known.has(name);
  }

  forget(name: string): void {
    this.known.get(name)?.close();
    this.known.delete(name);
  }
}

export async function uapiSet(connection: UapiConnection, lines: readonly string[]): Promise<void> {
  const name = connection.interfaceName;
  const answer = await connection.exchange(setRequest(lines));
  const { errno } = splitErrno(answer);
  if (errno === null) throw new UapiError(name, null, "answer without errno");
  if (errno !== 0) throw new UapiError(name, errno, `set failed with errno=${errno}`);
}

export async function uapiGet(connection: UapiConnection): Promise<UapiDevice> {
  const name = connection.interfaceName;
  const answer = await connection.exchange(GET_REQUEST);
  const { body, errno } = splitErrno(answer);
  if (errno === null) throw new UapiError(name, null, "answer without errno");
  if (errno !== 0) throw new UapiError(name, errno, `get failed with errno=${errno}`);
  return parseGetResponse(body);
}
