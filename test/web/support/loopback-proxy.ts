// An HTTP proxy on a Unix socket that reaches only this host's loopback: the way out for a browser
// that runs in a namespace of its own (see browser-network.ts). Plain requests are forwarded,
// CONNECT is tunnelled. When the target does not answer, the browser's connection is dropped, so
// the page sees a network error as it would without the proxy (not a made-up 502).
import { once } from "node:events";
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";

export interface LoopbackProxy {
  close(): Promise<void>;
}

// Headers about one hop (browser → proxy, proxy → server): each side sets its own.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
]);

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function endToEnd(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!HOP_BY_HOP.has((raw[i] as string).toLowerCase())) kept.push(raw[i] as string, raw[i + 1] as string);
  }
  return kept;
}

function forwardRequest(req: IncomingMessage, res: ServerResponse): void {
  let target: URL;
  try {
    target = new URL(req.url ?? "");
  } catch {
    res.writeHead(400).end("the proxy takes absolute http:// URLs only");
    return;
  }
  if (target.protocol !== "http:" || !isLoopbackHost(target.hostname)) {
    res.writeHead(403).end("this proxy reaches the host's loopback only");
    return;
  }
  const upstream = request(
    {
      host: target.hostname,
      port: target.port || 80,
      method: req.method,
      path: `${target.pathname}${target.search}`,
      headers: endToEnd(req.rawHeaders),
      agent: false,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    },
  );
  upstream.on("error", () => req.socket.destroy());
  req.on("error", () => upstream.destroy());
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}

/** CONNECT (Chromium's own background requests are refused here: only loopback is reachable). */
function tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
  // The browser may hang up first: a write then fails, which is no error of the test's.
  client.on("error", () => client.destroy());
  const [host, port] = (req.url ?? "").split(":");
  if (!host || !port || !isLoopbackHost(host)) {
    client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    return;
  }
  const upstream = connect(Number(port), host, () => {
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const closeBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  upstream.on("error", closeBoth).on("close", closeBoth);
  client.on("close", closeBoth);
}

export async function startLoopbackProxy(socketPath: string): Promise<LoopbackProxy> {
  const server = createServer(forwardRequest);
  server.on("connect", tunnel);
  server.listen(socketPath);
  await once(server, "listening");
  return {
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
