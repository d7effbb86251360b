// Puts an API error where the person will look: next to the field it names ("addresses[0]" belongs to
// the "addresses" field), or at the top of the form when no field of the form matches.
import { reactive, ref } from "vue";
import { ApiError } from "../api/client.js";

/** "addresses[1]" → "addresses", "peer.name" → "peer": the form field an API field path belongs to. */
export function fieldOf(path: string | undefined, fields: readonly string[]): string | null {
  if (!path) return null;
  if (fields.includes(path)) return path;
  const head = path.split(/[.[]/)[0] ?? "";
  return fields.includes(head) ? head : null;
}

/**
 * The API's message as a sentence shown beside its field: the field's name goes (the label says it),
 * and the rest starts with a capital and ends with a full stop ("newPassword: Use at least 8
 * characters." → "Use at least 8 characters."; "name: is taken" → "Is taken.").
 */
export function fieldSentence(message: string, field: string | undefined): string {
  const prefix = field ? `${field}: ` : "";
  const text = (prefix && message.startsWith(prefix) ? message.slice(prefix.length) : message).trim();
  if (!text) return message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function useFormErrors(fields: readonly string[]) {
  const errors = reactive<Record<string, string>>({});
  /** The API's own path of each field's error ("quota.warnAtPercent"), for forms that group subfields. */
  const paths = reactive<Record<string, string>>({});
  const general = ref("");
  const busy = ref(false);

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    for (const key of Object.keys(paths)) delete paths[key];
    general.value = "";
  }

  function capture(error: unknown): void {
    const field = error instanceof ApiError ? fieldOf(error.field, fields) : null;
    if (field && error instanceof ApiError)
      set(field, fieldSentence(error.message, error.field), error.field);
    else general.value = messageOf(error);
  }

  /** A message the form found itself (already a sentence in the app's language), shown like an API's. */
  function set(field: string, message: string, path: string = field): void {
    errors[field] = message;
    paths[field] = path;
  }

  /** Runs the action with errors cleared and `busy` set; returns whether it succeeded. */
  async function submit(action: () => Promise<void>): Promise<boolean> {
    if (busy.value) return false;
    clear();
    busy.value = true;
    try {
      await action();
      return true;
    } catch (error) {
      capture(error);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { errors, paths, general, busy, clear, capture, set, submit };
}
