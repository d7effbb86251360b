// The app is built for the browsers it declares (packages/web/package.json `browserslist`): the
// declared set reaches back past light-dark() (Safari 17.5), the source uses it, and the built CSS has
// none left — every colour is lowered to the var(--lightningcss-light/dark) fallback that older Safari
// understands. Reads packages/web/dist: run `npm run build` first (a missing build fails).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import browserslist from "browserslist";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/dashboard.js";

const WEB = join(REPO_ROOT, "packages/web");
const ASSETS = join(WEB, "dist/assets");

function builtCss(): Array<{ file: string; text: string }> {
  return readdirSync(ASSETS)
    .filter((file) => file.endsWith(".css"))
    .map((file) => ({ file, text: readFileSync(join(ASSETS, file), "utf8") }));
}

describe("supported browsers", () => {
  it("declares them, older Safari (without light-dark()) included", () => {
    const declared = browserslist.loadConfig({ path: WEB });
    expect(declared, "packages/web/package.json has a browserslist entry").toBeTruthy();
    const safari = browserslist(declared)
      .filter((entry) => entry.startsWith("safari ") || entry.startsWith("ios_saf "))
      .map((entry) => Number.parseFloat(entry.split(" ")[1] ?? ""));
    expect(Math.min(...safari)).toBeLessThan(17.5);
  });

  it("ships CSS with no light-dark() left, its colours lowered to a fallback", () => {
    expect(readFileSync(join(WEB, "src/styles/base.css"), "utf8")).toContain("light-dark(");
    const css = builtCss();
    expect(css.length).toBeGreaterThan(0);
    for (const { file, text } of css) expect(text, file).not.toContain("light-dark(");
    const all = css.map((c) => c.text).join("\n");
    // The lowered form: each colour as var(--lightningcss-light, L) var(--lightningcss-dark, D), the
    // switches set by color-scheme, the system preference and the theme toggle.
    expect(all).toMatch(
      /--bg:var\(--lightningcss-light,\s*#f6f7f9\)\s*var\(--lightningcss-dark,\s*#0f1318\)/,
    );
    expect(all).toMatch(
      /@media \(prefers-color-scheme:\s*dark\)\{:root\{--lightningcss-light:\s*;--lightningcss-dark:initial/,
    );
    expect(all).toMatch(/:root\[data-theme=dark\]\{[^}]*--lightningcss-dark:initial/);
  });
});
