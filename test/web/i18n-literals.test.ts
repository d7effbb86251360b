// Every user-visible string of the web app comes from the language catalogs (packages/web/src/i18n), and
// every catalog key the app uses exists in every language. `npx tsx scripts/i18n-report.ts` lists what
// this test finds, file by file.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import de from "../../packages/web/src/i18n/messages/de/index.js";
import en from "../../packages/web/src/i18n/messages/en/index.js";
import zhCN from "../../packages/web/src/i18n/messages/zh-CN/index.js";
import {
  byFile,
  checkApp,
  checkScriptFile,
  checkVueFile,
  missingKeys,
  unusedKeys,
} from "./support/i18n-literals.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Files not converted to the catalogs yet. This list only shrinks: a file that is clean must leave it
 * (the test says so), and no file may join it. Every file is converted now.
 */
const NOT_YET_CONVERTED = new Set<string>([]);

describe("the literal-string check", () => {
  const texts = (source: string) => checkVueFile(source, "x.vue").findings.map((f) => `${f.kind}: ${f.text}`);

  it("finds text, visible attributes and string results of expressions", () => {
    const source = `<template>
      <h1>Peers</h1>
      <input placeholder="Search peers" aria-label="Search" data-testid="search-box" />
      <FormField label="Name" :help="busy ? 'Saving…' : ''" />
      <p :title="\`Delete \${name}?\`">{{ count === 1 ? "peer" : "peers" }} · {{ formatBytes(n) }}</p>
      <button @click="error = 'Something went wrong'">{{ $t("common.actions.save") }}</button>
    </template>`;
    expect(texts(source)).toEqual([
      "text: Peers",
      'attribute: placeholder="Search peers"',
      'attribute: aria-label="Search"',
      'attribute: label="Name"',
      'attribute: :help="Saving…"',
      'attribute: :title="Delete {…}?"',
      "expression: peer",
      "expression: peers",
      "script: Something went wrong",
    ]);
  });

  it("lets through interpolations, symbols, comparisons and what is marked translate=no", () => {
    const source = `<template>
      <p>{{ $t("common.appName") }} · … — {{ state === "copied" ? $t("common.actions.copied") : "" }}</p>
      <code translate="no">Authorization: Bearer &lt;key&gt;</code>
      <span :class="on ? 'badge on' : 'badge'" :data-testid="\`row \${id}\`">{{ n }} / {{ m }}</span>
    </template>`;
    expect(texts(source)).toEqual([]);
  });

  it("finds prose in scripts but not code, keys, types or comparisons", () => {
    const source = `import { t } from "../i18n/index.js";
      type Kind = "not checked" | "ok";
      const a = status === "not checked" ? t("common.status.unknown") : "";
      const b = document.querySelector("[autofocus], input:not([type=hidden])");
      const c = { "two words": 1 };
      throw new Error("copy refused by the browser");
      const d = \`\${name}: could not be loaded\`;`;
    expect(checkScriptFile(source, "x.ts").findings.map((f) => f.text)).toEqual([" : could not be loaded"]);
  });

  it("collects keys, also built ones, and finds those a catalog lacks", () => {
    const source = `<template>
      <p>{{ $t("common.nav.nodes") }} {{ $t(\`common.roles.\${role}\`) }} {{ $t("common.nope") }}</p>
      <I18nT keypath="settings.apiKeys.intro" tag="p" />
    </template>
    <script setup lang="ts">
    const x = t("common.status.nope");
    const y = t(\`common.nothing.\${z}\`);
    const columns = [{ label: "peers.table.columns.name" }, { label: "peers.table.columns.nope" }];
    </script>`;
    const { keys } = checkVueFile(source, "x.vue");
    const missing = new Set(missingKeys(keys, en).map((k) => k.key));
    expect([...missing]).toEqual([
      "common.nope",
      "common.status.nope",
      "common.nothing",
      "peers.table.columns.nope",
    ]);
    expect(new Set(keys.map((k) => k.key)).size).toBe(8);
  });
});

describe("the web app's strings", () => {
  const { findings, keys } = checkApp(ROOT);
  const offending = byFile(findings);

  it("come from the catalogs (outside the not-yet-converted files)", () => {
    const unexpected = findings
      .filter((f) => !NOT_YET_CONVERTED.has(f.file))
      .map((f) => `${f.file}:${f.line} ${f.kind} ${f.text}`);
    expect(unexpected, "literal user-visible strings: move them into packages/web/src/i18n/messages").toEqual(
      [],
    );
  });

  it("leave the not-yet-converted list once they are converted", () => {
    const clean = [...NOT_YET_CONVERTED].filter((file) => !offending.has(file));
    expect(clean, "these files are converted: remove them from NOT_YET_CONVERTED").toEqual([]);
  });

  it("use every message of the catalogs (no dead entries)", () => {
    expect(unusedKeys(keys, en)).toEqual([]);
  });

  it.each([
    ["en", en],
    ["de", de],
    ["zh-CN", zhCN],
  ] as const)("use only keys that %s has", (_name, catalog) => {
    const missing = missingKeys(keys, catalog).map((k) => `${k.file}:${k.line} ${k.key}`);
    expect(missing).toEqual([]);
    expect(keys.length).toBeGreaterThan(100); // the check did find the app's keys
  });
});
