// Light, dark, or whatever the system prefers: kept in localStorage and applied as data-theme on
// <html> (index.html applies it before the app loads, so nothing flashes).
import { defineStore } from "pinia";
import { ref, watch } from "vue";

export type ThemeChoice = "system" | "light" | "dark";
const STORAGE_KEY = "wgfleet-theme";
const ORDER: ThemeChoice[] = ["system", "light", "dark"];

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export const useThemeStore = defineStore("theme", () => {
  const choice = ref<ThemeChoice>(stored());

  function apply(value: ThemeChoice): void {
    const root = document.documentElement;
    if (value === "system") delete root.dataset.theme;
    else root.dataset.theme = value;
    try {
      if (value === "system") localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }

  watch(choice, apply, { immediate: true });

  function cycle(): void {
    choice.value = ORDER[(ORDER.indexOf(choice.value) + 1) % ORDER.length] ?? "system";
  }

  return { choice, cycle };
});
