// Whether a CSS media query matches now, kept up to date: components that need a different layout
// (not just different CSS) on narrow screens, such as the peer list's cards.
import { onBeforeUnmount, type Ref, ref } from "vue";

export function useMediaQuery(query: string): Ref<boolean> {
  const list = typeof window === "undefined" ? null : window.matchMedia(query);
  const matches = ref(list?.matches ?? false);
  const update = (event: MediaQueryListEvent) => {
    matches.value = event.matches;
  };
  list?.addEventListener("change", update);
  onBeforeUnmount(() => list?.removeEventListener("change", update));
  return matches;
}
