// The warnings to show under an endpoint field while the admin types: the server's endpoint check
// (core's endpoint-host rules: single-label name, loopback, private address), asked a moment after
// the last keystroke, older questions cancelled. A text the check refuses shows no warning: the form's
// own error says what is wrong when it is saved.
import { onBeforeUnmount, type Ref, ref, watch } from "vue";
import { api } from "../api/client.js";
import type { EndpointWarning } from "../api/types.js";

const DELAY_MS = 250;

export function useEndpointCheck(text: Ref<string>, listenPort?: Ref<number | undefined>) {
  const warnings = ref<EndpointWarning[]>([]);
  /** host:port as clients will get it, when known. */
  const endpoint = ref<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;

  async function check(value: string, port: number | undefined): Promise<void> {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      const answer = await api.checkEndpoint(
        { endpoint: value, ...(port && port >= 1 && port <= 65535 ? { listenPort: port } : {}) },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      warnings.value = answer.warnings;
      endpoint.value = answer.endpoint;
    } catch {
      if (controller.signal.aborted) return;
      warnings.value = [];
      endpoint.value = null;
    }
  }

  watch(
    [text, () => listenPort?.value],
    ([value, port]) => {
      clearTimeout(timer);
      const trimmed = value.trim();
      if (trimmed === "") {
        inFlight?.abort();
        warnings.value = [];
        endpoint.value = null;
        return;
      }
      timer = setTimeout(() => void check(trimmed, port), DELAY_MS);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    clearTimeout(timer);
    inFlight?.abort();
  });
  return { warnings, endpoint };
}
