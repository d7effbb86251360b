// The agent end to end: a real `wgfleet-agent` process inside node namespace n1 driving real
// wireguard-go, a client namespace bringing up a peer's wg-quick config, and requests signed from the
// host with the signed AgentClient (@wgfleet/agent/client). Issue 3's acceptance list, line by line.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import {
  digestInterfaceState,
  generateKeyPair,
  generatePresharedKey,
  HealthSchema,
  type InterfaceSpec,
  type PeerSpec,
  renderClientConfig,
  SIGNATURE_HEADERS,
} from "@wgfleet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bringUpClient,
  cleanupStale,
  createNamespace,
  ping,
  type TestNamespace,
  uniqueName,
} from "../../../test/support/netns.js";
import { missingPrerequisites, wireguardPrerequisites } from "../../../test/support/privileges.js";
import {
  type AgentHttp,
  type AgentHttpRequest,
  AgentRequestError,
  sharedAgentHttp,
} from "../src/client/index.js";
import { AgentProcess } from "../src/test-support/agent-process.js";

const skip = missingPrerequisites(wireguardPrerequisites());
const PREFIX = "ag";
const GATEWAY = "198.51.100.1";

function peerSpec(index: number, extra: Partial<PeerSpec> = {}): PeerSpec & { privateKey: string } {
  const pair = generateKeyPair();
  return {
    publicKey: pair.publicKey,
    allowedIps: [`198.51.100.${index}/32`],
    privateKey: pair.privateKey,
    ...extra,
  };
}

function wire(peer: PeerSpec & { privateKey?: string }): PeerSpec {
  const { privateKey: _clientOnly, ...spec } = peer;
  return spec;
}

async function expectRejected(
  work: Promise<unknown>,
  status: number,
  pattern: RegExp,
): Promise<AgentRequestError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${status} ${pattern}`).toBeInstanceOf(AgentRequestError);
  const rejected = error as AgentRequestError;
  expect(rejected.status).toBe(status);
  expect(`${rejected.body?.error.field ?? ""} ${rejected.body?.error.message ?? ""}`).toMatch(pattern);
  return rejected;
}

describe.skipIf(skip)("wgfleet-agent with real wireguard-go in network namespaces", () => {
  const ifName = uniqueName(`${PREFIX}w`, 15);
  const listenPort = 40000 + Math.floor(Math.random() * 20000);
  const serverKeys = generateKeyPair();
  const metricsToken = `metrics-${Math.random().toString(16).slice(2)}-0123456789`;
  const spec: InterfaceSpec = {
    name: ifName,
    privateKey: serverKeys.privateKey,
    listenPort,
    addresses: [`${GATEWAY}/24`],
  };
  const first = [peerSpec(2, { presharedKey: generatePresharedKey() }), peerSpec(3), peerSpec(4)];
  const usedPresharedKeys = [first[0]?.presharedKey as string];
  let node: TestNamespace | null = null;
  let clientNs: TestNamespace | null = null;
  let agent: AgentProcess | null = null;

  const running = () => agent as AgentProcess;
  const nodeNs = () => node as TestNamespace;

  /** What `wg show dump` says, without counters, endpoints and key material that may move on their own. */
  async function liveSnapshot(): Promise<string> {
    const { stdout } = await nodeNs().exec("wg", ["show", ifName, "dump"]);
    const [head, ...peers] = stdout.trim().split("\n");
    const [, publicKey, port] = (head ?? "").split("\t");
    const lines = peers.map((line) => {
      const [key, psk, , allowed, , , , keepalive] = line.split("\t");
      return [key, psk === "(none)" ? "no-psk" : "psk", allowed, keepalive].join(" ");
    });
    return [publicKey, port, ...lines.sort()].join("\n");
  }

  async function stateFiles(): Promise<string> {
    const read = (file: string) => readFile(join(running().stateDir, file), "utf8").catch(() => "<none>");
    return `${await read(`${ifName}.json`)}\n---\n${await read(`${ifName}.journal`)}`;
  }

  async function snapshot(): Promise<{ live: string; files: string }> {
    return { live: await liveSnapshot(), files: await stateFiles() };
  }

  async function livePeerKeys(): Promise<string[]> {
    const { stdout } = await nodeNs().exec("wg", ["show", ifName, "peers"]);
    return stdout.split("\n").filter(Boolean);
  }

  async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting for: ${what}`);
  }

  beforeAll(async () => {
    await cleanupStale(PREFIX);
    node = await createNamespace(PREFIX);
    agent = await AgentProcess.create({
      netns: node.name,
      listenHost: node.nsAddress,
      driftIntervalSeconds: 1,
      metricsToken,
    });
    await agent.start();
  });

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const step of [() => agent?.dispose(), () => clientNs?.destroy(), () => node?.destroy()]) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, "agent test cleanup failed");
  });

  it("creates an interface with three peers, and a client namespace pings the gateway through the tunnel", async () => {
    const client = running().client();
    await client.putInterface(spec);
    for (const peer of first) await client.upsertPeer(ifName, wire(peer));

    expect((await livePeerKeys()).sort()).toEqual(first.map((p) => p.publicKey).sort());
    const chosen = first[0] as (typeof first)[number];
    const config = renderClientConfig({
      privateKey: chosen.privateKey,
      addresses: chosen.allowedIps,
      dns: [],
      serverPublicKey: serverKeys.publicKey,
      presharedKey: chosen.presharedKey,
      endpoint: `${nodeNs().nsAddress}:${listenPort}`,
      allowedIps: ["198.51.100.0/24"],
      persistentKeepalive: 1,
    });
    clientNs = await createNamespace(PREFIX);
    await bringUpClient(clientNs, config, uniqueName(`${PREFIX}c`, 15));
    expect(await ping(clientNs, GATEWAY, { count: 1, timeoutSec: 10 })).toBe(true);

    const health = await client.health();
    const iface = health.interfaces.find((i) => i.name === ifName);
    expect(iface).toMatchObject({
      up: true,
      listenPort,
      publicKey: serverKeys.publicKey,
      peerCount: 3,
      lastApplyError: null,
    });
    expect(iface?.activePeers).toBe(1);
    expect(health.protocol).toBe("v1");
    expect([...Value.Errors(HealthSchema, health)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(iface?.digest).toBe(digestInterfaceState({ interface: spec, peers: first.map(wire) }));
  });

  it("answers 401 naming the failed check to unsigned, replayed, stale, tampered and wrong-key requests, changing nothing", async () => {
    const unsigned = await fetch(`${running().baseUrl}/v1/health`);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { message: string } }).error.message).toMatch(
      /missing_headers/,
    );
    expect(await (await fetch(`${running().baseUrl}/livez`)).text()).toBe("ok");

    // Record one signed upsert, then undo it legitimately, so that a successful replay would show.
    const recorded: AgentHttpRequest[] = [];
    const recording: AgentHttp = (request) => {
      recorded.push(request);
      return sharedAgentHttp()(request);
    };
    const replayed = peerSpec(60);
    await running().client({ http: recording }).upsertPeer(ifName, wire(replayed));
    await running().client().removePeer(ifName, replayed.publicKey);
    const before = await snapshot();

    const original = recorded[0] as AgentHttpRequest;
    const replay = await fetch(original.url, {
      method: original.method,
      headers: original.headers,
      body: original.body ?? null,
    });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { message: string } }).error.message).toMatch(/replayed_nonce/);

    const newcomer = wire(peerSpec(61));
    const unsignedPut = await fetch(
      `${running().baseUrl}/v1/interfaces/${ifName}/peers/${encodeURIComponent(newcomer.publicKey)}`,
      {
        method: "PUT",
        body: JSON.stringify(newcomer),
      },
    );
    expect(unsignedPut.status).toBe(401);

    const stale = running().client({ clock: () => Date.now() - 120_000 });
    await expectRejected(stale.upsertPeer(ifName, newcomer), 401, /stale_timestamp/);
    const future = running().client({ clock: () => Date.now() + 120_000 });
    await expectRejected(future.upsertPeer(ifName, newcomer), 401, /future_timestamp/);

    const tampering: AgentHttp = (request) =>
      sharedAgentHttp()({ ...request, body: request.body?.replace("198.51.100.61/32", "198.51.100.62/32") });
    await expectRejected(
      running().client({ http: tampering }).upsertPeer(ifName, newcomer),
      401,
      /bad_signature/,
    );

    await expectRejected(
      running().client({ keyId: "deadbeef" }).upsertPeer(ifName, newcomer),
      401,
      /unknown_key_id/,
    );
    await expectRejected(
      running().client({ secret: "not-the-secret-0123456789abcdef" }).upsertPeer(ifName, newcomer),
      401,
      /bad_signature/,
    );
    const badHeader = await fetch(`${running().baseUrl}/v1/health`, {
      headers: { [SIGNATURE_HEADERS.keyId]: running().keyId },
    });
    expect(badHeader.status).toBe(401);

    expect(await snapshot()).toEqual(before);
    expect(await livePeerKeys()).not.toContain(newcomer.publicKey);
    expect(await livePeerKeys()).not.toContain(replayed.publicKey);
  });

  it("brings the interface and every peer back after kill -9 and a deleted interface, and the tunnel pings again", async () => {
    const before = await liveSnapshot();
    await running().kill9();
    await nodeNs().exec("ip", ["link", "del", "dev", ifName]);
    await eventually(
      async () => !(await nodeNs().exec("ip", ["-br", "link"])).stdout.includes(ifName),
      "interface gone",
    );
    await running().start();

    expect(await liveSnapshot()).toEqual(before);
    const health = await running().client().health();
    expect(health.interfaces.find((i) => i.name === ifName)).toMatchObject({ up: true, peerCount: 3 });
    // The client still holds session keys of the old wireguard-go; WireGuard re-handshakes once it has
    // sent for 15 s (keepalive + rekey timeout) without an answer, so allow for that.
    expect(await ping(clientNs as TestNamespace, GATEWAY, { count: 1, timeoutSec: 40 })).toBe(true);
  });

  it("restores a peer removed by hand within one check interval and counts the repair in health", async () => {
    const client = running().client();
    const repairsBefore =
      (await client.health()).interfaces.find((i) => i.name === ifName)?.driftRepairs ?? 0;
    const victim = first[1] as (typeof first)[number];
    await nodeNs().exec("wg", ["set", ifName, "peer", victim.publicKey, "remove"]);
    // Not looked at in between: the 1 s drift check can restore the peer before any look does (seen
    // in CI). The repair counter below moves only when a check found it missing.

    await eventually(async () => (await livePeerKeys()).includes(victim.publicKey), "peer restored");
    await eventually(async () => {
      const iface = (await client.health()).interfaces.find((i) => i.name === ifName);
      return (iface?.driftRepairs ?? 0) > repairsBefore;
    }, "repair counted");
    const { stdout } = await nodeNs().exec("wg", ["show", ifName, "allowed-ips"]);
    expect(stdout).toContain(`${victim.publicKey}\t${victim.allowedIps[0]}`);
    expect(await client.metrics()).toMatch(
      new RegExp(`wgfleet_agent_drift_repairs_total\\{interface="${ifName}"\\} [1-9]`),
    );
  });

  it("reports the link's admin state as it is: down when set down by hand, up again after", async () => {
    const client = running().client();
    const upInHealth = async () => (await client.health()).interfaces.find((i) => i.name === ifName)?.up;
    expect(await upInHealth()).toBe(true);
    await nodeNs().exec("ip", ["link", "set", "dev", ifName, "down"]);
    try {
      expect(await upInHealth()).toBe(false);
    } finally {
      await nodeNs().exec("ip", ["link", "set", "dev", ifName, "up"]);
    }
    expect(await upInHealth()).toBe(true);
  });

  it("answers the pollers' ?shared=1 from one read, never one from before a change it acknowledged; without it reads now", async () => {
    const client = running().client();
    const shared = async () =>
      (await client.health({ shared: true })).interfaces.find((i) => i.name === ifName);
    const before = (await shared())?.peerCount as number;
    const added = peerSpec(240);
    const byHand = generateKeyPair().publicKey;
    await client.upsertPeer(ifName, wire(added));
    try {
      // Within the shared read's second, and still the change shows.
      expect((await shared())?.peerCount).toBe(before + 1);
      const listed = await client.listPeers(ifName, { shared: true });
      expect(listed.find((p) => p.spec.publicKey === added.publicKey)?.live).not.toBeNull();

      // A peer added by hand: an answer without ?shared=1 shows it at once, shared read or not.
      await shared();
      await nodeNs().exec("wg", ["set", ifName, "peer", byHand, "allowed-ips", "198.51.100.241/32"]);
      const fresh = (await client.health()).interfaces.find((i) => i.name === ifName);
      expect(fresh?.strayPeers).toContain(byHand);
      expect(fresh?.peerCount).toBe(before + 2);
    } finally {
      await nodeNs().exec("wg", ["set", ifName, "peer", byHand, "remove"]);
      await client.removePeer(ifName, added.publicKey);
    }
    expect((await shared())?.peerCount).toBe(before);
  });

  it("reports a stray peer in health and removes it only on an explicit reconcile", async () => {
    const client = running().client();
    const stray = generateKeyPair().publicKey;
    await nodeNs().exec("wg", ["set", ifName, "peer", stray, "allowed-ips", "198.51.100.250/32"]);
    await eventually(async () => {
      const iface = (await client.health()).interfaces.find((i) => i.name === ifName);
      return iface?.strayPeers.includes(stray) ?? false;
    }, "stray reported");
    // Several drift checks later it is still there: checks never remove strays.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await livePeerKeys()).toContain(stray);

    const report = await client.reconcile(ifName, { removeStray: true });
    expect(report.stray).toEqual([stray]);
    expect(report.strayRemoved).toBe(1);
    expect(await livePeerKeys()).not.toContain(stray);
    expect((await client.health()).interfaces.find((i) => i.name === ifName)?.strayPeers).toEqual([]);
  });

  it("applies 50 concurrent upserts on one interface: all present, no error, no duplicate", async () => {
    const client = running().client();
    const burst = Array.from({ length: 50 }, (_, i) => peerSpec(100 + i));
    const results = await Promise.allSettled(burst.map((peer) => client.upsertPeer(ifName, wire(peer))));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const live = await livePeerKeys();
    for (const peer of burst) expect(live.filter((k) => k === peer.publicKey)).toHaveLength(1);
    expect(new Set(live).size).toBe(live.length);
    expect(live).toHaveLength(53);
    const listed = await client.listPeers(ifName);
    expect(listed).toHaveLength(53);
    expect(new Set(listed.map((p) => p.spec.publicKey)).size).toBe(53);
    for (const peer of burst) {
      expect(listed.find((p) => p.spec.publicKey === peer.publicKey)?.live?.allowedIps).toEqual(
        peer.allowedIps,
      );
    }
  });

  it("never returns a preshared or private key", async () => {
    const client = running().client();
    const peers = JSON.stringify(await client.listPeers(ifName));
    const interfaces = JSON.stringify(await client.listInterfaces());
    const health = JSON.stringify(await client.health());
    for (const text of [peers, interfaces, health]) {
      expect(text).not.toContain(serverKeys.privateKey);
      for (const psk of usedPresharedKeys) expect(text).not.toContain(psk);
    }
    expect(interfaces).toContain(serverKeys.publicKey);
  });

  it("answers 4xx naming the problem to bad input, and changes nothing", async () => {
    const client = running().client();
    const before = await snapshot();
    const good = wire(peerSpec(200));
    const keyPath = encodeURIComponent(good.publicKey);
    const peerPath = `v1/interfaces/${ifName}/peers/${keyPath}`;
    const cases: Array<[string, () => Promise<unknown>, number, RegExp]> = [
      [
        "bad key in the path",
        () => client.send("PUT", `v1/interfaces/${ifName}/peers/notakey`, good),
        400,
        /publicKey/,
      ],
      [
        "shared read asked with another value than 1",
        () => client.send("GET", "v1/health?shared=yes"),
        400,
        /shared/,
      ],
      [
        "bad key in the body",
        () => client.send("PUT", peerPath, { ...good, publicKey: "AAAA" }),
        400,
        /peer\.publicKey/,
      ],
      [
        "bad preshared key",
        () => client.send("PUT", peerPath, { ...good, presharedKey: "short=" }),
        400,
        /peer\.presharedKey/,
      ],
      [
        "CIDR octet out of range",
        () => client.send("PUT", peerPath, { ...good, allowedIps: ["198.51.100.300/32"] }),
        400,
        /peer\.allowedIps\[0\]/,
      ],
      [
        "CIDR prefix out of range",
        () => client.send("PUT", peerPath, { ...good, allowedIps: ["198.51.100.7/33"] }),
        400,
        /peer\.allowedIps\[0\]/,
      ],
      [
        "allowed IP that is not IP syntax",
        () => client.send("PUT", peerPath, { ...good, allowedIps: ["not-an-ip"] }),
        400,
        /peer\.allowedIps\[0\]/,
      ],
      [
        "allowed IP with a shell tail",
        () => client.send("PUT", peerPath, { ...good, allowedIps: ["198.51.100.7/32; reboot"] }),
        400,
        /peer\.allowedIps\[0\]/,
      ],
      [
        "allowed IP with a newline",
        () => client.send("PUT", peerPath, { ...good, allowedIps: ["198.51.100.7/32\n[Peer]"] }),
        400,
        /peer\.allowedIps\[0\]/,
      ],
      ["unknown property", () => client.send("PUT", peerPath, { ...good, extra: 1 }), 400, /peer\.extra/],
      [
        "interface name with a newline in the path",
        () => client.send("PUT", `v1/interfaces/${encodeURIComponent("ag\nx")}`, spec),
        400,
        /name/,
      ],
      [
        "interface name with a newline in the body",
        () => client.send("PUT", `v1/interfaces/${ifName}`, { ...spec, name: "ag\nx" }),
        400,
        /interface\.name/,
      ],
      [
        "peer path with a newline in the interface name",
        () => client.send("PUT", `v1/interfaces/${encodeURIComponent(`${ifName}\n`)}/peers/${keyPath}`, good),
        400,
        /name/,
      ],
      [
        "a 1 MB body",
        () => client.send("PUT", peerPath, { ...good, endpoint: "x".repeat(1024 * 1024) }),
        413,
        /body.*limit/,
      ],
      [
        "hooks without --allow-hooks",
        () =>
          client.send("PUT", `v1/interfaces/${ifName}`, {
            ...spec,
            hooks: { postUp: ["touch /tmp/wgfleet-pwned"] },
          }),
        400,
        /interface\.hooks.*--allow-hooks/,
      ],
      [
        "hooks in a full state without --allow-hooks",
        () =>
          client.send("PUT", `v1/interfaces/${ifName}/state`, {
            revision: 1_000,
            interface: { ...spec, hooks: { preUp: ["true"] } },
            peers: [],
          }),
        400,
        /interface\.hooks/,
      ],
      [
        "bad key in a batch removal",
        () => client.send("POST", `v1/interfaces/${ifName}/peers/batch`, { upsert: [], remove: ["nope"] }),
        400,
        /remove\[0\]/,
      ],
      [
        "bad CIDR deep in a batch",
        () =>
          client.send("POST", `v1/interfaces/${ifName}/peers/batch`, {
            upsert: [good, { ...wire(peerSpec(201)), allowedIps: ["1.2.3/8"] }],
            remove: [],
          }),
        400,
        /upsert\[1\]\.allowedIps\[0\]/,
      ],
      [
        "an allowed IP another peer holds",
        () => client.send("PUT", peerPath, { ...good, allowedIps: first[0]?.allowedIps }),
        409,
        /allowedIps\[0\]/,
      ],
      [
        "a revision that is not a number",
        () => client.send("PUT", peerPath, good, Number.NaN),
        400,
        /revision/,
      ],
      ["no body", () => client.send("PUT", peerPath, undefined), 400, /peer/],
      ["body that is not JSON", () => client.sendText("PUT", peerPath, '{"publicKey": '), 400, /body.*JSON/],
      [
        "peers of an unknown interface",
        () => client.send("PUT", `v1/interfaces/agnope/peers/${keyPath}`, good),
        404,
        /agnope/,
      ],
    ];
    for (const [what, call, status, pattern] of cases) {
      const error = await expectRejected(call(), status, pattern).catch((e: unknown) => {
        throw new Error(`${what}: ${String(e)}`);
      });
      expect(error.body?.error.code, what).toBe(
        status === 409 ? "CONFLICT" : status === 404 ? "NOT_FOUND" : "VALIDATION",
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it("answers 5xx with the system's own error text when WireGuard refuses a new interface, and keeps nothing of it", async () => {
    const client = running().client();
    const clash = uniqueName(`${PREFIX}x`, 15);
    const taken = {
      ...spec,
      name: clash,
      privateKey: generateKeyPair().privateKey,
      addresses: ["203.0.113.1/24"],
    };
    const error = await client.putInterface(taken).then(
      () => null,
      (e: unknown) => e as AgentRequestError,
    );
    expect(error).toBeInstanceOf(AgentRequestError);
    expect(error?.status).toBeGreaterThanOrEqual(500);
    expect(error?.body?.error.message).toMatch(/address already in use|EADDRINUSE|errno/i);
    // A first apply that failed is rolled back: no desired state, no link, nothing for drift repair.
    const health = await client.health();
    expect(health.interfaces.map((i) => i.name)).not.toContain(clash);
    expect(health.strayInterfaces ?? []).not.toContain(clash);
    const link = await (node as TestNamespace).exec("ip", ["link", "show", clash]).catch(() => null);
    expect(link).toBeNull();
    await expectRejected(client.deleteInterface(clash), 404, /interface/);
  });

  it("replaces the whole desired state by a diff, and answers 409 to an older revision", async () => {
    const client = running().client();
    const revision = ((await client.health()).interfaces.find((i) => i.name === ifName)?.revision ?? 0) + 10;
    const extra = peerSpec(230);
    const peers = [...first, extra].map(wire);
    await client.putState(ifName, { revision, interface: spec, peers });
    expect((await livePeerKeys()).sort()).toEqual(peers.map((p) => p.publicKey).sort());
    const before = await snapshot();

    await expectRejected(
      client.putState(ifName, { revision: revision - 1, interface: spec, peers: [] }),
      409,
      /revision/,
    );
    expect(await snapshot()).toEqual(before);
    const iface = (await client.health()).interfaces.find((i) => i.name === ifName);
    expect(iface).toMatchObject({ revision, peerCount: 4 });
    // Peer calls carry a revision too; it only moves the revision up.
    await client.removePeer(ifName, extra.publicKey, revision + 1);
    expect((await client.health()).interfaces.find((i) => i.name === ifName)?.revision).toBe(revision + 1);
  });

  it("serves GET /metrics signed or with the metrics bearer token, and nothing else", async () => {
    const withToken = await fetch(`${running().baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(withToken.status).toBe(200);
    const text = await withToken.text();
    expect(text).toContain(`wgfleet_agent_interface_up{interface="${ifName}"} 1`);
    expect(text).toMatch(/# TYPE wgfleet_agent_apply_errors_total counter/);
    expect(text).toMatch(/^wgfleet_agent_build_info\{version="[^"]+",node_version="v\d+[^"]*"\} 1$/m);
    expect(text).toContain("# TYPE process_resident_memory_bytes gauge");
    expect(text).toContain("# TYPE nodejs_eventloop_lag_seconds gauge");
    const wrongToken = await fetch(`${running().baseUrl}/metrics`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrongToken.status).toBe(401);
    expect((await fetch(`${running().baseUrl}/metrics`)).status).toBe(401);
    expect(await running().client().metrics()).toContain("wgfleet_agent_peers");
  });

  it("deletes an interface: gone from WireGuard and from the state dir", async () => {
    const client = running().client();
    await client.deleteInterface(ifName);
    await eventually(
      async () => !(await nodeNs().exec("ip", ["-br", "link"])).stdout.includes(ifName),
      "link gone",
    );
    expect(await stateFiles()).toBe("<none>\n---\n<none>");
    expect(await client.listInterfaces()).toEqual([]);
    await expectRejected(client.deleteInterface(ifName), 404, /not found/);
  });

  it("never wrote a secret, private key or preshared key to its log", async () => {
    const log = await running().logText();
    expect(log).toContain('"msg":"request"');
    for (const secret of [running().secret, metricsToken, serverKeys.privateKey, ...usedPresharedKeys]) {
      expect(log).not.toContain(secret);
    }
  });
});
