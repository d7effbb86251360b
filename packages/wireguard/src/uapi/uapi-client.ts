// Talks to a wireguard-go process over its control socket (`/var/run/wireguard/NAME.sock`): one
// connection per request, no process started. Request text may hold keys: it is never logged, and
// errors carry only the errno wireguard-go answered.
import { stat } from "node:fs/promises";
import { createConnection } from "node:net";
import { join } from "node:path";
import { UapiError } from "../errors.js";
import { GET_REQUEST, parseGetResponse, setRequest, splitErrno, type UapiDevice } from "./uapi-text.js";

export const DEFAULT_RUN_DIR = "/var/run/wireguard";
const UAPI_TIMEOUT_MS = 30_000;

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

/** Sends one request and returns the whole answer once wireguard-go closes the connection. */
export function uapiExchange(path: string, name: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new UapiError(name, null, `no answer within ${UAPI_TIMEOUT_MS} ms`));
    }, UAPI_TIMEOUT_MS);
    socket.on("connect", () => socket.end(request));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new UapiError(name, null, `socket error ${error.code ?? error.message}`));
    });
    socket.on("close", (hadError) => {
      clearTimeout(timer);
      if (!hadError) resolve(Buffer.concat(chunks).toString("utf8"));
    });
  });
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
