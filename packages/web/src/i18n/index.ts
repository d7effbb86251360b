// The app's one vue-i18n instance (Composition API, no legacy mode) and the language choice behind it:
// "auto" follows the browser's languages, or the person picks one in Settings (kept in localStorage).
// Components write `$t("area.key")` in templates; plain modules (formatting, the router) use `t` from
// here. Reading the locale inside a render makes that render follow a change of language.
import { ref, watch } from "vue";
import { createI18n } from "vue-i18n";
import { DEFAULT_LOCALE, isLocale, type Locale, localeForTag, pickLocale } from "./locales.js";
import de from "./messages/de/index.js";
import en from "./messages/en/index.js";
import zhCN from "./messages/zh-CN/index.js";

export { LOCALE_NAMES, LOCALES, type Locale } from "./locales.js";

export type LocaleChoice = Locale | "auto";
const STORAGE_KEY = "wgfleet-locale";

function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  if (navigator.languages && navigator.languages.length > 0) return navigator.languages;
  return navigator.language ? [navigator.language] : [];
}

function storedChoice(): LocaleChoice {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : "auto";
  } catch {
    return "auto"; // storage blocked: follow the browser
  }
}

/** The language the browser asks for (the first one the app speaks), followed when the choice is "auto". */
export const browserLocale = ref<Locale>(pickLocale(browserLanguages()));
/** What the person chose in Settings. */
export const localeChoice = ref<LocaleChoice>(storedChoice());

function resolve(choice: LocaleChoice): Locale {
  return choice === "auto" ? browserLocale.value : choice;
}

export const i18n = createI18n({
  legacy: false,
  locale: resolve(localeChoice.value),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { en, de, "zh-CN": zhCN },
});

/** Translates a catalog key, for code outside templates. */
export const t = i18n.global.t;

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

/**
 * The locale numbers and dates are written in: the browser's own variant of the chosen language when it
 * has one (en-GB writes 05/12/2026, de-CH 1’234), else the language itself.
 */
export function formattingLocale(): string {
  const locale = currentLocale();
  return browserLanguages().find((tag) => localeForTag(tag) === locale) ?? locale;
}

export function setLocaleChoice(choice: LocaleChoice): void {
  localeChoice.value = choice;
  try {
    if (choice === "auto") globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

function apply(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
}

watch([localeChoice, browserLocale], () => apply(resolve(localeChoice.value)), {
  immediate: true,
  flush: "sync",
});

if (typeof window !== "undefined") {
  window.addEventListener("languagechange", () => {
    browserLocale.value = pickLocale(browserLanguages());
  });
}
