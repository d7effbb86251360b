// The languages the app speaks and how one is chosen: the person's own choice (kept in localStorage),
// else the first of the browser's languages (navigator.languages, most preferred first) that the app
// speaks, else English. Pure functions, so the choice is tested without a browser.

export const LOCALES = ["en", "de", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language's name in that language, for the switcher (a German reader looks for "Deutsch"). */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  de: "Deutsch",
  "zh-CN": "简体中文",
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The app's language for one browser language tag, or null: "de-AT" → de, "zh", "zh-Hans" and
 * "zh-SG" → zh-CN. Traditional Chinese (zh-TW, zh-HK, zh-Hant) is a different script, so it does not
 * match Simplified: the next preference decides.
 */
export function localeForTag(tag: string): Locale | null {
  const parts = tag.trim().toLowerCase().replaceAll("_", "-").split("-");
  const [language, ...rest] = parts;
  if (language === "en") return "en";
  if (language === "de") return "de";
  if (language === "zh") {
    if (rest.includes("hant") || rest.includes("tw") || rest.includes("hk") || rest.includes("mo")) {
      return rest.includes("hans") ? "zh-CN" : null;
    }
    return "zh-CN";
  }
  return null;
}

/** The first browser language the app speaks; English when none is. */
export function pickLocale(preferences: readonly string[]): Locale {
  for (const tag of preferences) {
    const locale = localeForTag(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
