// Lists the web app's user-visible text that is not in the language catalogs, file by file, and catalog
// keys the app uses that a language lacks: `npx tsx scripts/i18n-report.ts` (exit code 1 when any).
// test/web/i18n-literals.test.ts holds the same check as a test.
import { fileURLToPath } from "node:url";
import de from "../packages/web/src/i18n/messages/de/index.js";
import en from "../packages/web/src/i18n/messages/en/index.js";
import zhCN from "../packages/web/src/i18n/messages/zh-CN/index.js";
import { byFile, checkApp, missingKeys } from "../test/web/support/i18n-literals.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const { findings, keys } = checkApp(root);
for (const [file, list] of byFile(findings)) {
  console.log(`${file}: ${list.length}`);
  for (const finding of list) console.log(`  ${finding.line}  ${finding.kind}  ${finding.text}`);
}
let missing = 0;
for (const [name, catalog] of Object.entries({ en, de, "zh-CN": zhCN })) {
  const seen = new Set<string>(); // a key in t("…") inside code is found twice: as a call and as a literal
  for (const use of missingKeys(keys, catalog)) {
    const where = `${use.file}:${use.line}  ${use.prefix ? "key group" : "key"} ${use.key}`;
    if (seen.has(where)) continue;
    seen.add(where);
    missing++;
    console.log(`${where} is missing in ${name}`);
  }
}
console.log(
  `${byFile(findings).size} files with ${findings.length} literal strings; ${missing} missing keys`,
);
process.exitCode = findings.length + missing > 0 ? 1 : 0;
