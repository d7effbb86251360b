// The browsers the app supports, read from package.json's `browserslist` entry, in the two shapes the
// build needs: lightningcss targets (lowers CSS such as light-dark() for older Safari) and esbuild-style
// names for the JavaScript target ("safari15.4"), the oldest version of each browser.
import browserslist from "browserslist";
import { browserslistToTargets, type Targets } from "lightningcss";

/** browserslist's names → the JavaScript target's names (browsers without one are left out). */
const SCRIPT_TARGET_NAMES: Record<string, string> = {
  chrome: "chrome",
  edge: "edge",
  firefox: "firefox",
  safari: "safari",
  ios_saf: "ios",
  opera: "opera",
};

export interface BrowserTargets {
  css: Targets;
  script: string[];
}

export function browserTargets(projectDir: string): BrowserTargets {
  const queries = browserslist.loadConfig({ path: projectDir });
  if (!queries) throw new Error(`no browserslist entry found from ${projectDir}`);
  const browsers = browserslist(queries);
  const oldest = new Map<string, number>();
  for (const entry of browsers) {
    const [name = "", version = ""] = entry.split(" ");
    const target = SCRIPT_TARGET_NAMES[name];
    // A range such as "15.2-15.3" counts by its first version.
    const number = Number.parseFloat(version.split("-")[0] ?? "");
    if (!target || Number.isNaN(number)) continue;
    if (!oldest.has(target) || number < (oldest.get(target) as number)) oldest.set(target, number);
  }
  return {
    css: browserslistToTargets(browsers),
    script: [...oldest].map(([name, version]) => `${name}${version}`).sort(),
  };
}
