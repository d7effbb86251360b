// How a rejected input is quoted inside an error message: escaped (no raw newlines reach a log line)
// and cut short (a 10 KB value does not become a 10 KB message).
const MAX_QUOTED = 64;

export function describeText(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return JSON.stringify(cut);
}
