// A hostile "agent" for the dashboard's hardening tests, run as its own process on loopback
// (`node --import tsx hostile-agent.ts`): it answers every agent call the way its current mode says
// (an endless body, a huge error, a redirect elsewhere, a slow drip, a health with extra fields) and
// records what reached it. A second listener stands for "another origin" and only counts requests.
// Control routes (unsigned, test only): PUT /__mode/NAME, GET /__stats.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export type HostileMode = "valid" | "huge-body" | "huge-error" | "extra-fields" | "redirect" | "slow-drip";

const MODES = new Set<HostileMode>([
  "valid",
  "huge-body",
  "huge-error",
  "extra-fields",
  "redirect",
  "slow-drip",
]);

let mode: HostileMode = "valid";
const stats = {
  requests: 0,
  redirectTargetHits: 0,
  redirectTargetAuthHeaders: 0,
  redirectTargetPaths: [] as string[],
};

function validHealth(): Record<string, unknown> {
  return {
    version: "0.1.0",
    protocol: "v1",
    uptimeSeconds: 10,
    hostname: "hostile",
    time: Date.now(),
    interfaces: [],
    load: [0, 0, 0],
    memory: { totalBytes: 1, freeBytes: 1, rssBytes: 1 },
  };
}

/** 200 MB of one JSON string, written as fast as the reader takes it. */
function endlessBody(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(1 << 20, "a");
  let left = 200;
  res.write('{"version":"');
  const pump = (): void => {
    while (left > 0) {
      left -= 1;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    res.end('"}');
  };
  pump();
}

function slowDrip(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  const timer = setInterval(() => res.write(" "), 500);
  const stop = () => clearInterval(timer);
  req.socket.once("close", stop);
  res.once("close", stop);
}

function answer(req: IncomingMessage, res: ServerResponse, redirectPort: number): void {
  stats.requests += 1;
  switch (mode) {
    case "huge-body":
      endlessBody(res);
      return;
    case "huge-error": {
      const message = `${"\u001b[31mboom\n".repeat(10)}${"x".repeat(5 * 1024 * 1024)}`;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "INTERNAL", message } }));
      return;
    }
    case "extra-fields": {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ...validHealth(),
          injected: "x".repeat(100_000),
          memory: { totalBytes: 1, freeBytes: 1, rssBytes: 1, evil: true },
        }),
      );
      return;
    }
    case "redirect":
      res.writeHead(307, { location: `http://127.0.0.1:${redirectPort}${req.url ?? "/"}` });
      res.end();
      return;
    case "slow-drip":
      slowDrip(req, res);
      return;
    default:
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url?.startsWith("/v1/health") ? validHealth() : {}));
  }
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function main(): Promise<void> {
  const elsewhere = createServer((req, res) => {
    stats.redirectTargetHits += 1;
    stats.redirectTargetPaths.push(`${req.method} ${req.url}`);
    if (req.headers["x-wgfleet-signature"] || req.headers["x-wgfleet-key-id"])
      stats.redirectTargetAuthHeaders += 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(validHealth()));
  });
  const redirectPort = await listen(elsewhere);
  const agent = createServer((req, res) => {
    const control = /^\/__mode\/([a-z-]+)$/.exec(req.url ?? "");
    if (req.method === "PUT" && control) {
      const next = control[1] as HostileMode;
      if (!MODES.has(next)) {
        res.writeHead(400).end();
        return;
      }
      mode = next;
      res.writeHead(204).end();
      return;
    }
    if (req.url === "/__stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ mode, ...stats }));
      return;
    }
    answer(req, res, redirectPort);
  });
  const port = await listen(agent);
  process.stdout.write(`${JSON.stringify({ listening: `http://127.0.0.1:${port}` })}\n`);
  const close = () => {
    agent.closeAllConnections();
    elsewhere.closeAllConnections();
    agent.close();
    elsewhere.close();
    process.exit(0);
  };
  process.on("SIGTERM", close);
  process.on("SIGINT", close);
}

await main();
