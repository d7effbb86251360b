// A compromised or broken node must not be able to hurt the dashboard: the built `wgfleet serve`
// polls a hostile fake agent process on loopback (test/support/hostile-agent.ts) that streams endless
// bodies, huge error texts, redirects elsewhere, a slow drip and health answers with fields of its own.
// The dashboard's memory stays bounded, what it stores and serves about the node stays small and
// clean, and nothing (above all no signature header) is sent to a redirect target.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiClient,
  apiClient,
  createAdminApiKey,
  type ServerProcess,
  startServerProcess,
} from "./server-process.js";

const HOSTILE = fileURLToPath(new URL("../support/hostile-agent.ts", import.meta.url));
const PASSWORD = "hostile-agent-test-pw";
const POLL_SECONDS = 1;

interface HostileStats {
  mode: string;
  requests: number;
  redirectTargetHits: number;
  redirectTargetAuthHeaders: number;
  redirectTargetPaths: string[];
}

let agentProcess: ChildProcess | undefined;
let agentUrl = "";
let server: ServerProcess | undefined;
let api: ApiClient;
let dataDir = "";
let nodeId = "";

async function startHostileAgent(): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", HOSTILE], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  agentProcess = child;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("hostile agent did not start in 30 s")), 30_000);
    child.stdout?.setEncoding("utf8");
    child.stdout?.once("data", (line: string) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { listening: string }).listening);
    });
    child.once("exit", (code) => reject(new Error(`hostile agent exited with ${code}`)));
  });
}

async function setMode(mode: string): Promise<void> {
  const answer = await fetch(`${agentUrl}/__mode/${mode}`, { method: "PUT" });
  expect(answer.status).toBe(204);
}

async function hostileStats(): Promise<HostileStats> {
  return (await (await fetch(`${agentUrl}/__stats`)).json()) as HostileStats;
}

/** The process's peak resident memory so far (VmHWM), in MB: a spike between two samples still counts. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Waits until the hostile agent has answered `count` more requests (polls of the dashboard). */
async function waitForRequests(count: number, timeoutMs = 30_000): Promise<void> {
  const start = (await hostileStats()).requests;
  const deadline = Date.now() + timeoutMs;
  while ((await hostileStats()).requests < start + count) {
    if (Date.now() > deadline)
      throw new Error(`the dashboard made fewer than ${count} calls in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** GET /api/v1/nodes until this node satisfies `ready` (the poll's result is stored), then that answer. */
async function nodeAnswerWhen(
  ready: (node: any) => boolean,
  timeoutMs = 30_000,
): Promise<{ bytes: number; node: any }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await nodeAnswer();
    if (ready(answer.node)) return answer;
    if (Date.now() > deadline) throw new Error(`node never got there: ${answer.text.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function nodeAnswer(): Promise<{ bytes: number; node: any; text: string }> {
  const list = await api.request("GET", "/api/v1/nodes");
  expect(list.status).toBe(200);
  const node = (list.json().items as any[]).find((n) => n.id === nodeId);
  return { bytes: Buffer.byteLength(list.text), node, text: list.text };
}

describe("a hostile agent", () => {
  beforeAll(async () => {
    agentUrl = await startHostileAgent();
    dataDir = await mkdtemp(join(tmpdir(), "wgfleet-hostile-"));
    server = await startServerProcess({
      dataDir,
      adminPassword: PASSWORD,
      extraArgs: ["--no-local"],
      // A generous health timeout: the body cap, not the clock, must be what stops a huge answer.
      env: { WGFLEET_HEALTH_INTERVAL_SECONDS: String(POLL_SECONDS), WGFLEET_HEALTH_TIMEOUT_SECONDS: "60" },
    });
    api = apiClient(server.url, await createAdminApiKey(server.url, PASSWORD));
    const created = await api.request("POST", "/api/v1/nodes", {
      name: "hostile",
      agentUrl,
      secret: "a-shared-secret-of-enough-length-0123456789",
      endpoint: "198.18.0.2",
    });
    expect(created.status, created.text).toBe(201);
    nodeId = created.json().id;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (agentProcess && agentProcess.exitCode === null) {
      const exited = new Promise((resolve) => agentProcess?.once("exit", resolve));
      agentProcess.kill("SIGTERM");
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("streaming endless bodies leaves the dashboard's memory bounded", { timeout: 150_000 }, async () => {
    const pid = server?.pid as number;
    const before = await peakRssMb(pid);
    await setMode("huge-body");
    // Checks run one after another: three calls mean two whole answers were read.
    await waitForRequests(3, 120_000);
    const after = await peakRssMb(pid);
    await setMode("valid");
    // Reading a 200 MB answer whole took ~720 MB; a capped read stays within a few MB.
    expect(after - before, `peak RSS went from ${before.toFixed(0)} to ${after.toFixed(0)} MB`).toBeLessThan(
      64,
    );
    const { bytes } = await nodeAnswer();
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it("a huge error text is cut and cleaned before it is stored or served", async () => {
    await setMode("huge-error");
    const { bytes, node } = await nodeAnswerWhen((n) => /500|larger than/.test(n.statusReason ?? ""));
    await setMode("valid");
    expect(bytes).toBeLessThan(64 * 1024);
    expect(node.statusReason).toBeTypeOf("string");
    expect((node.statusReason as string).length).toBeLessThanOrEqual(500);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is that none are left
    expect(node.statusReason).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it("fields the health schema does not know are dropped, not stored", async () => {
    await setMode("extra-fields");
    // The poller asks again only after the previous check is stored: two more calls mean one
    // extra-fields answer has been through.
    await waitForRequests(2);
    const { bytes, node } = await nodeAnswer();
    await setMode("valid");
    expect(node.status).toBe("online");
    expect(node.lastHealth.hostname).toBe("hostile");
    expect(node.lastHealth).not.toHaveProperty("injected");
    expect(node.lastHealth.memory).not.toHaveProperty("evil");
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it("a redirect is never followed: nothing reaches the other origin", async () => {
    await setMode("redirect");
    await waitForRequests(3);
    const test = await api.request("POST", `/api/v1/nodes/${nodeId}/test`);
    await setMode("valid");
    expect(test.status).toBe(200);
    expect(test.json().ok).toBe(false);
    const stats = await hostileStats();
    expect(stats.redirectTargetHits, stats.redirectTargetPaths.join(", ")).toBe(0);
    expect(stats.redirectTargetAuthHeaders).toBe(0);
  });

  it("a slow drip does not hold up the dashboard's own answers", async () => {
    await setMode("slow-drip");
    await waitForRequests(1);
    const started = Date.now();
    const { bytes } = await nodeAnswer();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(bytes).toBeLessThan(64 * 1024);
    await setMode("valid");
  });
});
