import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiClient, createAdminApiKey, startServerProcess } from "../test/dashboard/server-process.js";
import { createNamespace } from "../test/support/netns.js";

const ns = await createNamespace("dbp");
const dataDir = mkdtempSync(join(tmpdir(), "wgfleet-prof-"));
const password = `pw-${randomBytes(12).toString("base64url")}`;
const server = await startServerProcess({
  dataDir,
  netns: ns.name,
  adminPassword: password,
  env: { NODE_OPTIONS: "--import /tmp/s12sql-hook.mjs" },
});
try {
  const api = apiClient(server.url, await createAdminApiKey(server.url, password));
  await api.request("POST", "/api/v1/configurations", { name: "prof", clientAllowedIps: ["2001:db8::/32"] });
  const iface = await api.request("POST", "/api/v1/configurations/prof/interfaces", {
    nodeId: "local",
    listenPort: randomInt(20_000, 60_000),
    pool6: "2001:db8:b1::/64",
  });
  if (iface.status !== 201) throw new Error(iface.text);
  for (let round = 0; round < 2; round++) {
    const t = performance.now();
    for (let i = 0; i < 1000; i++) {
      const a = await api.request("POST", "/api/v1/configurations/prof/peers", { name: `p-${round}-${i}` });
      if (a.status !== 201) throw new Error(a.text);
    }
    console.log(`round ${round}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
  }
} finally {
  await server.stop();
  await ns.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
