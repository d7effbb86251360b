// Short confirmations after an action that leaves nothing on screen to show it worked (a deletion
// removes the very row or page it happened on). ToastRegion shows them; each goes after a few seconds.
import { defineStore } from "pinia";
import { ref } from "vue";

export interface Toast {
  id: number;
  message: string;
}

/** Long enough to read a sentence twice; the region is polite, so screen readers finish first. */
export const TOAST_MS = 6000;

export const useToastStore = defineStore("toasts", () => {
  const toasts = ref<Toast[]>([]);
  let next = 1;

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id);
  }

  function show(message: string): void {
    const id = next++;
    toasts.value = [...toasts.value, { id, message }];
    setTimeout(() => dismiss(id), TOAST_MS);
  }

  return { toasts, show, dismiss };
});
