// Chromium drops every request in flight (net::ERR_NETWORK_CHANGED) when the host's addresses
// change, and the fleet tests add and remove veths on the host all the time. So that browser tests
// can run beside them, Chromium runs in a network namespace of its own that holds only loopback:
// nothing the host does reaches it. Its requests leave through a proxy: inside the namespace,
// loopback-forwarder.mjs takes Chromium's proxy connections and passes them through a Unix socket
// (files cross namespaces) to an HTTP proxy in the test process, which reaches the host's loopback
// only. Needs root (namespaces); elsewhere Chromium runs on the host as before.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanupStale, createLoopbackNamespace, type LoopbackNamespace } from "../../support/netns.js";
import { type LoopbackProxy, startLoopbackProxy } from "./loopback-proxy.js";

const NAMESPACE_PREFIX = "wgfbrw";
const FORWARDER = fileURLToPath(new URL("./loopback-forwarder.mjs", import.meta.url));

export interface BrowserNetwork {
  /** A script that starts the given Chromium inside the namespace. */
  executablePath: string;
  /** Chromium's flags for the proxy: everything, loopback included, goes through it. */
  args: string[];
  close(): Promise<void>;
}

export function canIsolateBrowser(): boolean {
  return process.platform === "linux" && process.getuid?.() === 0;
}

export async function isolateBrowserNetwork(chromiumPath: string): Promise<BrowserNetwork> {
  await cleanupStale(NAMESPACE_PREFIX);
  const dir = await mkdtemp(join(tmpdir(), "wgfleet-browser-"));
  let namespace: LoopbackNamespace | null = null;
  let proxy: LoopbackProxy | null = null;
  let forwarder: ChildProcess | null = null;
  const close = async () => {
    forwarder?.kill("SIGKILL");
    await namespace?.destroy().catch(() => {});
    await proxy?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    namespace = await createLoopbackNamespace(NAMESPACE_PREFIX);
    const socketPath = join(dir, "proxy.sock");
    proxy = await startLoopbackProxy(socketPath);
    forwarder = spawn("ip", ["netns", "exec", namespace.name, process.execPath, FORWARDER, socketPath], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await firstLine(forwarder);
    const executablePath = join(dir, "chromium");
    const quoted = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
    await writeFile(
      executablePath,
      `#!/bin/sh\nexec ip netns exec ${quoted(namespace.name)} ${quoted(chromiumPath)} "$@"\n`,
      { mode: 0o755 },
    );
    return {
      executablePath,
      args: [`--proxy-server=http://127.0.0.1:${port}`, "--proxy-bypass-list=<-loopback>"],
      close: onlyOnce(close),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  let text = "";
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`the browser's loopback forwarder exited (${code}) before listening`);
  });
  const listening = (async () => {
    for await (const chunk of child.stdout ?? []) {
      text += String(chunk);
      if (text.includes("\n")) return text.trim();
    }
    throw new Error("the browser's loopback forwarder closed its output before listening");
  })();
  return Promise.race([listening, exited]);
}

function onlyOnce(body: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  return () => {
    done ??= body();
    return done;
  };
}
