// docs/grafana/wgfleet.json asks only for metrics the processes export: a real dashboard (with
// --metrics-per-peer, so the per-peer panels are covered too) and a real agent are started and scraped,
// every PromQL expression of the JSON (panels and template variables) is parsed with Prometheus's own
// grammar (lezer-promql), and each metric name it selects must be in one of the two scrapes, or be a
// histogram's _bucket/_sum/_count series of one.
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parser } from "@prometheus-io/lezer-promql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentProcess } from "../../packages/agent/src/test-support/agent-process.js";
import { resolveSettings } from "../../packages/dashboard/src/config/settings.js";
import { createLogger } from "../../packages/dashboard/src/logging/logger.js";
import { type RunningServer, startServer } from "../../packages/dashboard/src/server.js";

const DASHBOARD_JSON = fileURLToPath(new URL("../../docs/grafana/wgfleet.json", import.meta.url));
const METRICS_TOKEN = "grafana-test-metrics-token-0123456789";
/** Every panel queries the data source the importer picked (the `datasource` variable). */
const DATASOURCE_VARIABLE = ["$", "{datasource}"].join("");

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr?: string }>;
  datasource?: { uid?: string };
}

interface GrafanaDashboard {
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: { query?: string } | string }> };
}

/** Grafana's own variables stand where PromQL wants a duration or a value; give them one. */
function withGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, "5m").replace(/\$\{?(\w+)\}?/g, "$1");
}

/** The metric names an expression selects; throws on a parse error. */
function selectedMetrics(expr: string): string[] {
  const text = withGrafanaVariables(expr);
  const names: string[] = [];
  const errors: string[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: "${text.slice(node.from, node.to + 10)}"`);
      if (node.name === "VectorSelector") {
        const identifier = node.node.getChild("Identifier");
        if (identifier) names.push(text.slice(identifier.from, identifier.to));
      }
    },
  });
  if (errors.length > 0) throw new Error(`cannot parse ${expr}: ${errors.join("; ")}`);
  return names;
}

/** Every series name a scrape can answer: each family's name, and a histogram's three series names. */
function exportedNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name as string);
    if (type === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${name}${suffix}`);
    if (type === "summary") for (const suffix of ["_sum", "_count"]) names.add(`${name}${suffix}`);
  }
  return names;
}

async function loadDashboard(): Promise<GrafanaDashboard> {
  return JSON.parse(await readFile(DASHBOARD_JSON, "utf8")) as GrafanaDashboard;
}

function panelExpressions(dashboard: GrafanaDashboard): Array<{ where: string; expr: string }> {
  return dashboard.panels
    .filter((panel) => panel.type !== "row")
    .flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ where: panel.title, expr: target.expr ?? "" })),
    );
}

/** `label_values(metric, label)` of the query variables, as the metric. */
function variableMetrics(dashboard: GrafanaDashboard): Array<{ where: string; metric: string }> {
  return dashboard.templating.list
    .filter((variable) => variable.type === "query")
    .map((variable) => {
      const query = typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
      const match = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*\w+\s*\)$/.exec(query);
      if (!match) throw new Error(`variable ${variable.name}: unexpected query "${query}"`);
      return { where: `variable ${variable.name}`, metric: match[1] as string };
    });
}

describe("the PromQL checker itself", () => {
  it("finds selectors inside functions, aggregations and binary expressions, not labels or functions", () => {
    expect(
      selectedMetrics(
        'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{job=~"$job"}[$__rate_interval]))) / on(node) group_left(name) b_info',
      ),
    ).toEqual(["a_bucket", "b_info"]);
  });

  it("refuses an expression that is not PromQL", () => {
    expect(() => selectedMetrics("sum(rate(x[5m])")).toThrow(/cannot parse/);
  });
});

describe("docs/grafana/wgfleet.json", () => {
  it("has a query in every panel, on the data source variable", async () => {
    const dashboard = await loadDashboard();
    const panels = dashboard.panels.filter((panel) => panel.type !== "row");
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
      expect(panel.datasource?.uid, panel.title).toBe(DATASOURCE_VARIABLE);
    }
  });
});

describe("the Grafana dashboard against real scrapes", () => {
  let dataDir: string;
  let server: RunningServer | null = null;
  let agent: AgentProcess | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-grafana-"));
    const settings = resolveSettings(
      { listen: "127.0.0.1:0", dataDir, local: false, metricsListen: "127.0.0.1:0", metricsPerPeer: true },
      { WGFLEET_ADMIN_PASSWORD: "grafana-admin-1" },
    );
    server = await startServer(settings, { logger: createLogger({ level: "silent" }), print: () => {} });
    agent = await AgentProcess.create({
      netns: null,
      listenHost: "127.0.0.1",
      port: 20_000 + Math.floor(Math.random() * 40_000),
      metricsToken: METRICS_TOKEN,
    });
    await agent.start();
  }, 90_000);

  afterAll(async () => {
    await agent?.dispose();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function scrape(url: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(url, { headers });
    expect(response.status, url).toBe(200);
    return response.text();
  }

  it("names only metrics the dashboard or an agent exports", async () => {
    const exported = new Set([
      ...exportedNames(await scrape(`${server?.metricsUrl}/metrics`)),
      ...exportedNames(
        await scrape(`${agent?.baseUrl}/metrics`, { authorization: `Bearer ${METRICS_TOKEN}` }),
      ),
    ]);
    const dashboard = await loadDashboard();
    const used = [
      ...panelExpressions(dashboard).flatMap(({ where, expr }) =>
        selectedMetrics(expr).map((metric) => ({ where, metric })),
      ),
      ...variableMetrics(dashboard),
    ];
    expect(new Set(used.map((u) => u.metric)).size).toBeGreaterThan(20);
    const missing = used.filter(({ metric }) => !exported.has(metric)).map((u) => `${u.where}: ${u.metric}`);
    expect(missing).toEqual([]);
  });
});
