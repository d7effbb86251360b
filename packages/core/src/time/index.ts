// Wall-clock time in IANA time zones (Intl only): shared by the access rules and the validation.
export * from "./zoned-time.js";
