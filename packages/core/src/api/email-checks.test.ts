import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { checkEmailAddress, checkEmailSettings, checkOptionalEmailAddress } from "./email-checks.js";

const settings = {
  enabled: true,
  host: "smtp.example.org",
  port: 587,
  security: "starttls" as const,
  user: "mailer",
  from: "fleet@example.org",
};

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe("e-mail checks", () => {
  it("takes plain addresses, trimmed", () => {
    expect(checkEmailAddress(" ana.b+vpn@mail.example.org ", "to")).toBe("ana.b+vpn@mail.example.org");
    expect(checkOptionalEmailAddress("", "contactEmail")).toBeNull();
    expect(checkOptionalEmailAddress(null, "contactEmail")).toBeNull();
  });

  it("refuses line breaks, display names, lists and non-addresses, naming the field", () => {
    for (const bad of [
      "a@example.org\r\nBcc: b@example.org",
      "a@example.org\n",
      "Ana <a@example.org>",
      "a@example.org, b@example.org",
      "a@",
      "@example.org",
      "a..b@example.org",
      "a@exa mple.org",
      "",
    ]) {
      expect(
        fieldOf(() => checkEmailAddress(bad, "contactEmail")),
        JSON.stringify(bad),
      ).toBe("contactEmail");
    }
  });

  it("checks the settings field by field; an omitted password stays undefined (kept)", () => {
    expect(checkEmailSettings(settings)).toEqual({ ...settings });
    expect(checkEmailSettings({ ...settings, password: "s3cret" }).password).toBe("s3cret");
    expect(checkEmailSettings({ ...settings, password: null }).password).toBeNull();
    expect(fieldOf(() => checkEmailSettings({ ...settings, host: "smtp example.org" }))).toBe("host");
    expect(fieldOf(() => checkEmailSettings({ ...settings, host: "" }))).toBe("host");
    expect(fieldOf(() => checkEmailSettings({ ...settings, from: "nobody" }))).toBe("from");
    expect(fieldOf(() => checkEmailSettings({ ...settings, user: "a\nb" }))).toBe("user");
    expect(fieldOf(() => checkEmailSettings({ ...settings, password: "a\r\nb" }))).toBe("password");
    expect(fieldOf(() => checkEmailSettings({ ...settings, user: null, password: "x" }))).toBe("user");
    // Mail turned off may leave the server empty.
    expect(checkEmailSettings({ ...settings, enabled: false, host: "" }).host).toBe("");
  });
});
