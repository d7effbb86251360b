// Reads a request body as raw bytes (the signature covers the exact bytes), hashing it as it streams,
// with a hard size limit so an oversized body is refused before it is buffered. Parses JSON only after
// the signature was checked. Called only once the signature headers passed.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ValidationError, WgFleetError } from "@wgfleet/core";

/** A body over the route's limit: answered 413, naming the limit. */
export class BodyTooLargeError extends WgFleetError {
  readonly httpStatus = 413;

  constructor(limit: number) {
    super("VALIDATION", `body: request body is larger than this route's limit of ${limit} bytes`, "body");
  }
}

export interface ReceivedBody {
  bytes: Buffer;
  /** SHA-256 hex of `bytes`, computed while they arrived. */
  sha256: string;
}

/** Refuses a declared Content-Length over the limit without reading a byte. */
export function checkDeclaredLength(request: IncomingMessage, limit: number): void {
  const declared = Number(request.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
}

export function readBody(request: IncomingMessage, limit: number): Promise<ReceivedBody> {
  try {
    checkDeclaredLength(request, limit);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      chunks.length = 0;
      reject(error);
    };
    request.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) return fail(new BodyTooLargeError(limit));
      hash.update(chunk);
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks, size), sha256: hash.digest("hex") });
    });
    request.on("error", fail);
    request.on("close", () => fail(new Error("client closed the connection before the body was complete")));
  });
}

/** A body that arrived whole (a dial-out request frame), held to the same limit and hashed the same way. */
export function bodyFromBytes(bytes: Buffer, limit: number): ReceivedBody {
  if (bytes.length > limit) throw new BodyTooLargeError(limit);
  return { bytes, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** The body as JSON; an empty body is `undefined`. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ValidationError("body", `is not valid JSON (${(error as Error).message})`);
  }
}
