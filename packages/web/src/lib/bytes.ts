// Byte counts written for people in a given language ("1.5 KiB", "1,50 KiB"). Free of the app's
// language state (and of the DOM), so tests outside the browser can write what the app shows.

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

// Building an Intl formatter is far slower than using one, and a table formats thousands of numbers.
const fixedFormats = new Map<string, Intl.NumberFormat>();
function fixed(locale: string, value: number, digits: number): string {
  const key = `${locale}|${digits}`;
  let format = fixedFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: false,
    });
    fixedFormats.set(key, format);
  }
  return format.format(value);
}

/** 1536 → "1.5 KiB" in English; whole bytes below 1 KiB. */
export function formatBytesIn(locale: string, bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${fixed(locale, value, digits)} ${UNITS[unit]}`;
}
