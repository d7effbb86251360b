// vue-i18n's own message compiler (the one it runs in the browser), to find syntax errors before a reader does.
import { compile } from "@intlify/core-base";
import { afterEach, describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatPercent, timeAgo } from "../lib/format.js";
import { formatUptime } from "../lib/health.js";
import { currentLocale, setLocaleChoice, t } from "./index.js";
import { LOCALES, localeForTag, pickLocale } from "./locales.js";
import de from "./messages/de/index.js";
import en from "./messages/en/index.js";
import zhCN from "./messages/zh-CN/index.js";

const CATALOGS = { en, de, "zh-CN": zhCN } as const;

/** Every message of a catalog by its dotted key. */
function flatten(tree: object, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value as object, path)) out.set(k, v);
  }
  return out;
}

/** The named placeholders of a message, each once (plural forms repeat them): "{n} s ago" → ["n"]. */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1] as string))].sort();
}

describe("choosing the language", () => {
  it("takes the first browser language the app speaks, else English", () => {
    expect(pickLocale(["de-AT", "en-US"])).toBe("de");
    expect(pickLocale(["fr-FR", "zh-CN", "de"])).toBe("zh-CN");
    expect(pickLocale(["zh"])).toBe("zh-CN");
    expect(pickLocale(["zh-Hans-SG"])).toBe("zh-CN");
    expect(pickLocale(["zh-TW", "de"])).toBe("de"); // Traditional script: not Simplified Chinese
    expect(pickLocale(["fr", "es"])).toBe("en");
    expect(pickLocale([])).toBe("en");
    expect(localeForTag("EN_gb")).toBe("en");
  });
});

describe("the catalogs", () => {
  const reference = flatten(en);

  it.each(LOCALES)("%s has exactly the English keys, each a non-empty message", (locale) => {
    const messages = flatten(CATALOGS[locale]);
    expect([...messages.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [key, message] of messages) expect(message.trim(), key).not.toBe("");
  });

  it.each(LOCALES)("%s uses the same placeholders as English in every message", (locale) => {
    for (const [key, message] of flatten(CATALOGS[locale])) {
      expect(placeholders(message), key).toEqual(placeholders(reference.get(key) ?? ""));
    }
  });

  it.each(LOCALES)("%s compiles: no message has a syntax error", (locale) => {
    for (const [key, message] of flatten(CATALOGS[locale])) {
      const errors: string[] = [];
      compile(message, { key, locale, onError: (error) => errors.push(error.message) });
      expect(errors, `${locale} ${key}: ${message}`).toEqual([]);
    }
  });
});

describe("formatting follows the language", () => {
  afterEach(() => setLocaleChoice("auto"));
  const now = Date.parse("2025-01-01T12:00:00Z");

  it("writes numbers, ages and durations in German", () => {
    setLocaleChoice("de");
    expect(currentLocale()).toBe("de");
    expect(formatBytes(1536)).toBe("1,50 KiB");
    expect(formatCount(1234567)).toBe("1.234.567");
    expect(formatPercent(0.426)).toBe("43\u00a0%"); // a no-break space, as German writes it
    expect(timeAgo("2025-01-01T11:58:00Z", now)).toBe("vor 2 Min.");
    expect(timeAgo(null, now)).toBe("nie");
    expect(formatUptime(5 * 3600 + 12 * 60)).toBe("5 Std. 12 Min.");
    expect(t("common.nav.settings")).toBe("Einstellungen");
  });

  it("writes them in Simplified Chinese", () => {
    setLocaleChoice("zh-CN");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(timeAgo("2025-01-01T09:00:00Z", now)).toBe("3 小时前");
    expect(formatUptime(3 * 86400 + 4 * 3600)).toBe("3 天 4 小时");
    expect(t("common.nav.settings")).toBe("设置");
  });

  it("goes back to the browser's language on auto (English here)", () => {
    setLocaleChoice("de");
    setLocaleChoice("auto");
    expect(formatCount(1234)).toBe("1,234");
    expect(timeAgo("2025-01-01T11:59:15Z", now)).toBe("45 s ago");
  });
});
