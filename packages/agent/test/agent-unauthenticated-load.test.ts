// A hostile network changes nothing: a real `wgfleet-agent` process is flooded over real sockets with
// unsigned 32 MiB bodies, forged bodies under a valid key id, and a header trickle. It must not buffer
// what it cannot authenticate, must keep answering signed requests, and must not let a forged request
// use up a genuine request's nonce. Needs no WireGuard: the agent listens on loopback.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { signRequest } from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentProcess } from "../src/test-support/agent-process.js";

const MiB = 1024 * 1024;
const FLOOD_REQUESTS = 20;
const FLOOD_BODY = 32 * MiB;

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** One PUT with a declared body of `size` bytes, written in 1 MiB chunks; resolves with the status or the socket error. */
function putLargeBody(
  agent: AgentProcess,
  path: string,
  size: number,
  headers: Record<string, string> = {},
): Promise<string> {
  const chunk = Buffer.alloc(MiB, 0x7b);
  return new Promise((resolve) => {
    const request = httpRequest(`${agent.baseUrl}${path}`, {
      method: "PUT",
      headers: { "content-type": "application/json", "content-length": String(size), ...headers },
      agent: false,
    });
    let written = 0;
    const writeMore = () => {
      while (written < size) {
        const piece = chunk.subarray(0, Math.min(MiB, size - written));
        written += piece.length;
        if (!request.write(piece)) return void request.once("drain", writeMore);
      }
      request.end();
    };
    request.on("response", (response) => {
      response.resume();
      resolve(String(response.statusCode));
      request.destroy();
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    writeMore();
  });
}

/**
 * The unsigned flood from a separate process (as from another machine), so that writing 640 MB does
 * not slow down the test's own signed requests. Prints "go" once every request is under way, then the
 * outcomes (status or socket error) as one JSON line.
 */
const FLOOD_SCRIPT = `
import { request } from "node:http";
const [url, count, size] = process.argv.slice(1);
const chunk = Buffer.alloc(1024 * 1024, 0x7b);
const one = () => new Promise((resolve) => {
  const req = request(url, { method: "PUT", agent: false,
    headers: { "content-type": "application/json", "content-length": size } });
  let written = 0;
  const more = () => {
    while (written < Number(size)) {
      const piece = chunk.subarray(0, Math.min(chunk.length, Number(size) - written));
      written += piece.length;
      if (!req.write(piece)) return void req.once("drain", more);
    }
    req.end();
  };
  req.on("response", (res) => { res.resume(); resolve(String(res.statusCode)); req.destroy(); });
  req.on("error", (error) => resolve(error.code ?? error.message));
  more();
});
const all = Promise.all(Array.from({ length: Number(count) }, one));
process.stdout.write("go\\n");
process.stdout.write(JSON.stringify(await all) + "\\n");
`;

function startFlood(url: string): { started: Promise<void>; outcomes: Promise<string[]> } {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", FLOOD_SCRIPT, url, String(FLOOD_REQUESTS), String(FLOOD_BODY)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.startsWith("go\n")) markStarted();
  });
  const outcomes = new Promise<string[]>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      markStarted();
      const last = output.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("[")) resolve(JSON.parse(last) as string[]);
      else reject(new Error(`flood process exited with ${code}: ${output}`));
    });
  });
  return { started, outcomes };
}

async function timedSignedHealth(agent: AgentProcess): Promise<number> {
  const started = performance.now();
  const answer = await agent.client({ timeoutMs: 10_000 }).send("GET", "v1/health");
  expect(answer.status).toBe(200);
  return performance.now() - started;
}

describe("the agent under unauthenticated load", () => {
  let agent: AgentProcess | null = null;
  const running = () => agent as AgentProcess;

  beforeAll(async () => {
    agent = await AgentProcess.create({
      netns: null,
      listenHost: "127.0.0.1",
      port: 20000 + Math.floor(Math.random() * 20000),
    });
    await agent.start();
  });

  afterAll(async () => {
    await agent?.dispose();
  });

  it("reads no body of an unsigned request: 20 concurrent 32 MiB PUTs leave RSS under +30 MB, signed requests answered", async () => {
    const pid = running().pid as number;
    for (let i = 0; i < 5; i++) await timedSignedHealth(running());
    const before = await rssBytes(pid);
    let peak = before;
    const sampler = setInterval(() => {
      void rssBytes(pid).then((rss) => {
        peak = Math.max(peak, rss);
      });
    }, 20);
    try {
      const flood = startFlood(`${running().baseUrl}/v1/interfaces/x/state`);
      await flood.started;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const during = await timedSignedHealth(running());
      const outcomes = await flood.outcomes;
      const after = await timedSignedHealth(running());
      await new Promise((resolve) => setTimeout(resolve, 200));
      const growthMb = (Math.max(peak, await rssBytes(pid)) - before) / 1e6;
      console.log(
        `flood: RSS before ${(before / 1e6).toFixed(1)} MB, peak +${growthMb.toFixed(1)} MB; ` +
          `signed health ${during.toFixed(0)} ms during, ${after.toFixed(0)} ms after; outcomes ${[...new Set(outcomes)].join(",")}`,
      );
      expect(outcomes.every((outcome) => outcome !== "200")).toBe(true);
      expect(growthMb).toBeLessThan(30);
      expect(during).toBeLessThan(1000);
      expect(after).toBeLessThan(1000);
    } finally {
      clearInterval(sampler);
    }
  });

  it("answers an unsigned request 401 naming the check before its body arrives", async () => {
    const status = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(`${running().baseUrl}/v1/interfaces/x/state`, {
        method: "PUT",
        headers: { "content-length": String(8 * MiB) },
        agent: false,
      });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString("utf8");
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on("error", reject);
      request.flushHeaders(); // headers only: the body never comes
    });
    expect(status.status).toBe(401);
    expect(status.text).toMatch(/missing_headers/);
  });

  it("a forged body under a valid key id does not use up the nonce of the genuine request", async () => {
    const path = "/v1/interfaces/nonceprobe/state";
    const genuine = JSON.stringify({ interface: {}, peers: [] });
    const headers = signRequest({
      method: "PUT",
      pathWithQuery: path,
      body: genuine,
      keyId: running().keyId,
      secret: running().secret,
    });
    const send = (body: string) =>
      fetch(`${running().baseUrl}${path}`, { method: "PUT", headers, body }).then(async (response) => ({
        status: response.status,
        text: await response.text(),
      }));
    const forged = await send(genuine.replace("peers", "peerz"));
    expect(forged.status).toBe(401);
    expect(forged.text).toMatch(/bad_signature/);
    const real = await send(genuine);
    expect(real.text).not.toMatch(/replayed_nonce|bad_signature/);
    const replay = await send(genuine);
    expect(replay.status).toBe(401);
    expect(replay.text).toMatch(/replayed_nonce/);
  });

  it("refuses more than a few large bodies at once under a valid key id (503), and still serves signed requests", async () => {
    const path = "/v1/interfaces/x/state";
    const forgedHeaders = () =>
      signRequest({
        method: "PUT",
        pathWithQuery: path,
        body: "{}",
        keyId: running().keyId,
        secret: running().secret,
      });
    const flood = Array.from({ length: 12 }, () =>
      putLargeBody(running(), path, 16 * MiB - 1, forgedHeaders()),
    );
    const outcomes = await Promise.all(flood);
    expect(outcomes).toContain("503");
    expect(outcomes).not.toContain("200");
    expect(await timedSignedHealth(running())).toBeLessThan(1000);
  });

  it("cuts off a client that trickles its headers byte by byte", async () => {
    const started = Date.now();
    const closedAfterMs = await new Promise<number>((resolve, reject) => {
      const socket = connect(running().port, "127.0.0.1");
      const text = `GET /v1/health HTTP/1.1\r\nHost: agent\r\nX-Trickle: ${"a".repeat(400)}`;
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < text.length && socket.writable) socket.write(text[sent++] as string);
      }, 50);
      socket.on("close", () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
      socket.on("error", () => undefined);
      setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        reject(new Error("the agent kept a trickling connection open for 25 s"));
      }, 25_000);
    });
    expect(closedAfterMs).toBeLessThan(25_000);
  }, 40_000);
});
