// A value loaded from the API with its loading and error state, and a reload that keeps showing the
// old value until the new one arrives (so a refresh never blanks a page).
import { type Ref, ref, shallowRef } from "vue";
import { messageOf } from "./form-errors.js";

export interface Resource<T> {
  data: Ref<T | null>;
  error: Ref<string>;
  loading: Ref<boolean>;
  /** Loads again; rejects when the load fails (so a poller can back off). */
  reload(signal?: AbortSignal): Promise<void>;
}

export function useResource<T>(load: (signal?: AbortSignal) => Promise<T>): Resource<T> {
  const data = shallowRef<T | null>(null);
  const error = ref("");
  const loading = ref(false);

  async function reload(signal?: AbortSignal): Promise<void> {
    loading.value = true;
    try {
      data.value = await load(signal);
      error.value = "";
    } catch (caught) {
      if ((caught as Error).name !== "AbortError") error.value = messageOf(caught);
      throw caught;
    } finally {
      loading.value = false;
    }
  }

  return { data, error, loading, reload };
}
