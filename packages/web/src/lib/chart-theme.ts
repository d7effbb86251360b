// The app's theme colors as a canvas needs them. The CSS variables hold `light-dark(…)` pairs that only
// an element can resolve, so a hidden probe inside the chart takes each one as its color and the
// browser answers with the color the current theme shows. useThemeChange tells when to ask again.
import { type ComputedRef, computed } from "vue";
import { useThemeStore } from "../stores/theme.js";
import { useMediaQuery } from "./media-query.js";

export interface ChartColors {
  rx: string;
  tx: string;
  text: string;
  grid: string;
}

/** The chart's colors as the theme shows them inside `host` now (rgb() text). */
export function chartColors(host: HTMLElement): ChartColors {
  const probe = document.createElement("span");
  probe.style.display = "none";
  host.append(probe);
  const read = (variable: string): string => {
    probe.style.color = `var(${variable})`;
    return getComputedStyle(probe).color;
  };
  try {
    return { rx: read("--accent"), tx: read("--ok"), text: read("--muted"), grid: read("--border") };
  } finally {
    probe.remove();
  }
}

/** Changes whenever the shown theme may have: the user's choice, or the system's while it decides. */
export function useThemeChange(): ComputedRef<string> {
  const theme = useThemeStore();
  const systemDark = useMediaQuery("(prefers-color-scheme: dark)");
  return computed(() => `${theme.choice}|${systemDark.value}`);
}
