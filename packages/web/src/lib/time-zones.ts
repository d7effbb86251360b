// The IANA time zones the browser knows, for the time zone selects. The zone in use and UTC are always
// offered, even where a browser's list leaves them out (some list only canonical names).
let known: string[] | null = null;

function supported(): string[] {
  if (!known) {
    try {
      known = Intl.supportedValuesOf("timeZone");
    } catch {
      known = [];
    }
  }
  return known;
}

export function timeZoneOptions(current: string): string[] {
  const zones = new Set(supported());
  zones.add("UTC");
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

/** The browser's own zone, for a new schedule where nothing else says which. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
