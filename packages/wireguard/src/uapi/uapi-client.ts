// Talks to a wireguard-go process over its control socket (`/var/run/wireguard/NAME.sock`): one
// connection per request, no process started. A request is done when wireguard-go's `errno=N` line and
// the blank line after it arrive (it would keep the connection open for another request). Socket paths
// are remembered per interface, so a call costs no `stat`. Request text may hold keys: it is never
// logged, and errors carry only the errno wireguard-go answered or the socket's error code.
import { stat } from "node:fs/promises";
import { createConnection } from "node:net";
import { join } from "node:path";
import { UapiError } from "../errors.js";
import { GET_REQUEST, parseGetResponse, setRequest, splitErrno, type UapiDevice } from "./uapi-text.js";

export const DEFAULT_RUN_DIR = "/var/run/wireguard";
const UAPI_TIMEOUT_MS = 30_000;
/** Enough of an answer's end to hold `\nerrno=-2147483648\n\n`. */
const TAIL_LENGTH = 32;

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

/** The connection itself failed (no socket file, nobody listening, reset): `socketCode` is the system's. */
export class UapiSocketError extends UapiError {
  constructor(
    interfaceName: string,
    readonly socketCode: string | undefined,
    detail: string,
  ) {
    super(interfaceName, null, `socket error ${socketCode ?? detail}`);
  }
}

/** The socket file is gone or nobody listens on it (wireguard-go exited): a remembered path is stale. */
export function isSocketGone(error: unknown): boolean {
  return (
    error instanceof UapiSocketError && (error.socketCode === "ENOENT" || error.socketCode === "ECONNREFUSED")
  );
}

/**
 * Where each interface's UAPI socket is, once found. A path stays until `forget` (the interface was
 * removed, or a connection found the socket gone); an interface without a socket is looked up again
 * on every call, since wireguard-go may start serving it later.
 */
export class UapiSocketPaths {
  private readonly known = new Map<string, string>();

  constructor(readonly runDir: string) {}

  /** The socket path when wireguard-go serves the interface, else null. */
  async resolve(name: string): Promise<string | null> {
    const cached = this.known.get(name);
    if (cached !== undefined) return cached;
    if (!(await hasUapiSocket(this.runDir, name))) return null;
    const path = socketPath(this.runDir, name);
    this.known.set(name, path);
    return path;
  }

  isCached(name: string): boolean {
    return this.known.has(name);
  }

  forget(name: string): void {
    this.known.delete(name);
  }
}

/**
 * Sends one request and returns the answer as soon as it is complete (it ends with `errno=N` and a
 * blank line), or whatever arrived when wireguard-go closed the connection first.
 */
export function uapiExchange(path: string, name: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const chunks: Buffer[] = [];
    let received = 0;
    let tail = "";
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const answer = () => Buffer.concat(chunks).toString("utf8");
    const timer = setTimeout(() => {
      settle(() => reject(new UapiError(name, null, `no answer within ${UAPI_TIMEOUT_MS} ms`)));
    }, UAPI_TIMEOUT_MS);
    socket.on("connect", () => socket.end(request));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      tail = (tail + chunk.toString("latin1")).slice(-TAIL_LENGTH);
      if (endsWithErrno(tail, received <= TAIL_LENGTH)) settle(() => resolve(answer()));
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      settle(() => reject(new UapiSocketError(name, error.code, error.message)));
    });
    socket.on("close", () => settle(() => resolve(answer())));
  });
}

/** Whether an answer's last bytes are its `errno=N` line and the blank line that ends it. */
export function endsWithErrno(tail: string, isWholeAnswer: boolean): boolean {
  return /\nerrno=-?\d+\n\n$/.test(isWholeAnswer ? `\n${tail}` : tail);
}

export async function uapiSet(path: string, name: string, lines: readonly string[]): Promise<void> {
  const answer = await uapiExchange(path, name, setRequest(lines));
  const { errno } = splitErrno(answer);
  if (errno === null) throw new UapiError(name, null, "answer without errno");
  if (errno !== 0) throw new UapiError(name, errno, `set failed with errno=${errno}`);
}

export async function uapiGet(path: string, name: string): Promise<UapiDevice> {
  const answer = await uapiExchange(path, name, GET_REQUEST);
  const { body, errno } = splitErrno(answer);
  if (errno === null) throw new UapiError(name, null, "answer without errno");
  if (errno !== 0) throw new UapiError(name, errno, `get failed with errno=${errno}`);
  return parseGetResponse(body);
}
