// Text a node sent us (an error message, an apply error, a hostname) is untrusted: it may be megabytes
// long or carry terminal escapes and newlines meant for a log or a page. Everything the dashboard keeps
// or shows of it goes through cleanAgentText first.

/** The most characters of an agent's text the dashboard keeps. */
export const AGENT_TEXT_MAX_CHARS = 500;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_RUN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Control characters become one space each run; the result is at most `max` characters ("…" marks a cut). */
export function cleanAgentText(text: string, max = AGENT_TEXT_MAX_CHARS): string {
  // Cut before replacing so a 200 MB string costs no 200 MB regex pass.
  const head = text.length > max * 2 ? text.slice(0, max * 2) : text;
  const clean = head.replace(CONTROL_RUN, " ").trim();
  return clean.length > max || head.length < text.length ? `${clean.slice(0, max - 1)}…` : clean;
}
