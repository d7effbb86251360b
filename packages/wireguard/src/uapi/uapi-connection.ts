// One kept-open connection to a wireguard-go control socket. wireguard-go serves requests one after
// another on a connection until it closes, and connecting costs far more than a request here (a
// connect per peer creation was the largest single cost of creating a peer), so requests to one
// interface share a connection and run in order. A request is done when wireguard-go's `errno=N` line
// and the blank line after it arrive. Request text may hold keys: it is never logged, and errors carry
// only the errno wireguard-go answered or the socket's error code.
import { createConnection, type Socket } from "node:net";
import { UapiError } from "../errors.js";

const UAPI_TIMEOUT_MS = 30_000;
/** Enough of an answer's end to hold `\nerrno=-2147483648\n\n`. */
const TAIL_LENGTH = 32;

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

/** Whether an answer's last bytes are its `errno=N` line and the blank line that ends it. */
export function endsWithErrno(tail: string, isWholeAnswer: boolean): boolean {
  return /\nerrno=-?\d+\n\n$/.test(isWholeAnswer ? `\n${tail}` : tail);
}

/** How one request ended: the answer text, and whether the connection may carry the next request. */
interface Outcome {
  answer: string;
  /** No byte of an answer arrived before the connection closed. */
  unanswered: boolean;
  reusable: boolean;
}

export class UapiConnection {
  private socket: Socket | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    readonly interfaceName: string,
  ) {}

  /**
   * Sends one request after the ones before it and returns the answer: complete (ending in the errno
   * line), or whatever arrived when wireguard-go closed the connection first. A kept connection that
   * closed while idle (wireguard-go restarted, or dropped it after a failed set) is found out when it
   * closes unanswered; the request then goes once more over a new connection.
   */
  exchange(request: string): Promise<string> {
    const run = this.queue.then(async () => {
      const reused = this.socket !== null;
      const first = await this.send(request);
      if (!(reused && first.unanswered)) return first.answer;
      return (await this.send(request)).answer;
    });
    this.queue = run.catch(() => {});
    return run;
  }

  /** Closes the connection (the interface is gone or its socket path is forgotten). */
  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private async send(request: string): Promise<Outcome> {
    const socket = this.socket ?? (await this.connect());
    const outcome = await this.answerTo(socket, request);
    if (!outcome.reusable) {
      socket.destroy();
      if (this.socket === socket) this.socket = null;
    }
    return outcome;
  }

  private connect(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.path);
      const failed = (error: NodeJS.ErrnoException) => {
        socket.destroy();
        reject(new UapiSocketError(this.interfaceName, error.code, error.message));
      };
      socket.once("error", failed);
      socket.once("connect", () => {
        socket.off("error", failed);
        // An idle kept connection must not keep the process alive, nor fail it when it breaks.
        socket.on("error", () => socket.destroy());
        socket.once("close", () => {
          if (this.socket === socket) this.socket = null;
        });
        socket.unref();
        this.socket = socket;
        resolve(socket);
      });
    });
  }

  private answerTo(socket: Socket, request: string): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let tail = "";
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        socket.off("data", onData);
        socket.off("close", onClose);
        socket.off("error", onError);
        socket.unref();
        outcome();
      };
      const answer = () => Buffer.concat(chunks).toString("utf8");
      const onData = (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        tail = (tail + chunk.toString("latin1")).slice(-TAIL_LENGTH);
        if (!endsWithErrno(tail, received <= TAIL_LENGTH)) return;
        const text = answer();
        // After a failed set wireguard-go may not have read the request's remaining lines: start afresh.
        finish(() =>
          resolve({ answer: text, unanswered: false, reusable: /\nerrno=0\n\n$/.test(`\n${tail}`) }),
        );
      };
      const onClose = () =>
        finish(() => resolve({ answer: answer(), unanswered: received === 0, reusable: false }));
      const onError = (error: NodeJS.ErrnoException) => {
        if (received === 0 && (error.code === "EPIPE" || error.code === "ECONNRESET")) return onClose();
        finish(() => reject(new UapiSocketError(this.interfaceName, error.code, error.message)));
      };
      const timer = setTimeout(() => {
        finish(() =>
          reject(new UapiError(this.interfaceName, null, `no answer within ${UAPI_TIMEOUT_MS} ms`)),
        );
        socket.destroy();
      }, UAPI_TIMEOUT_MS);
      socket.ref();
      socket.on("data", onData);
      socket.once("close", onClose);
      socket.on("error", onError);
      socket.write(request);
    });
  }
}
