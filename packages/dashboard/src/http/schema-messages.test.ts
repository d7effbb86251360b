import { INTERFACE_NAME_PATTERN, PLAIN_TEXT_PATTERN, USERNAME_PATTERN } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { missingValueSentence, type SchemaFailure, schemaSentence } from "./schema-messages.js";

const integer = (minimum?: number, maximum?: number) => ({ type: "integer", minimum, maximum });

describe("schema failures as sentences for admins", () => {
  it.each<[string, SchemaFailure, string, string]>([
    [
      "newPassword",
      { keyword: "minLength", params: { limit: 8 } },
      "newPassword",
      "Use at least 8 characters.",
    ],
    ["name", { keyword: "minLength", params: { limit: 1 } }, "name", "Enter a name."],
    [
      "description",
      { keyword: "maxLength", params: { limit: 1000 } },
      "description",
      "Use at most 1000 characters.",
    ],
    [
      "pattern, interface name",
      { keyword: "pattern", params: { pattern: INTERFACE_NAME_PATTERN } },
      "name",
      "Use 1 to 15 letters, digits or _ = + . - starting with a letter or digit, for example wg0.",
    ],
    [
      "pattern, plain text",
      { keyword: "pattern", params: { pattern: PLAIN_TEXT_PATTERN } },
      "description",
      "Use a single line without control characters.",
    ],
    [
      "pattern, user name",
      { keyword: "pattern", params: { pattern: USERNAME_PATTERN } },
      "username",
      "Use letters, digits or . _ @ - starting with a letter or digit.",
    ],
    [
      "pattern nobody described",
      { keyword: "pattern", params: { pattern: "^x$" } },
      "x",
      "Use the form this field expects.",
    ],
    [
      "both limits",
      { keyword: "minimum", params: { limit: 1280 }, parentSchema: integer(1280, 9000) },
      "mtu",
      "Enter a whole number from 1,280 to 9,000.",
    ],
    [
      "maximum side",
      { keyword: "maximum", params: { limit: 65535 }, parentSchema: integer(0, 65535) },
      "keepalive",
      "Enter a whole number from 0 to 65,535.",
    ],
    [
      "only a minimum",
      { keyword: "minimum", params: { limit: 1 }, parentSchema: integer(1) },
      "maxPeers",
      "Enter a whole number at least 1.",
    ],
    [
      "only a maximum, a number",
      { keyword: "maximum", params: { limit: 5 }, parentSchema: { type: "number", maximum: 5 } },
      "x",
      "Enter a number at most 5.",
    ],
    [
      "exclusive minimum",
      {
        keyword: "exclusiveMinimum",
        params: { limit: 0 },
        parentSchema: { type: "number", exclusiveMinimum: 0 },
      },
      "x",
      "Enter a number greater than 0.",
    ],
    ["integer type", { keyword: "type", params: { type: "integer" } }, "listenPort", "Enter a whole number."],
    [
      "nullable integer type",
      { keyword: "type", params: { type: "integer,null" } },
      "mtu",
      "Enter a whole number.",
    ],
    ["string type", { keyword: "type", params: { type: "string" } }, "name", "Enter text."],
    [
      "boolean type",
      { keyword: "type", params: { type: "boolean" } },
      "enabled",
      "Choose yes or no (true or false).",
    ],
    [
      "format",
      { keyword: "format", params: { format: "date-time" } },
      "expiresAt",
      "Enter a date and time, for example 2026-12-31T23:59:59Z.",
    ],
    [
      "unknown format",
      { keyword: "format", params: { format: "ipv4" } },
      "x",
      "Enter a value in ipv4 format.",
    ],
    [
      "required, labelled",
      { keyword: "required", params: { missingProperty: "newPassword" } },
      "newPassword",
      "Enter the new password.",
    ],
    [
      "required, unlabelled",
      { keyword: "required", params: { missingProperty: "weight" } },
      "weight",
      "Enter a value.",
    ],
    ["enum", { keyword: "enum", params: { allowedValues: ["a", "b"] } }, "x", 'Choose one of "a", "b".'],
    [
      "minItems",
      { keyword: "minItems", params: { limit: 1 } },
      "clientAllowedIps",
      "Enter at least one entry.",
    ],
    ["maxItems", { keyword: "maxItems", params: { limit: 16 } }, "dns", "Enter at most 16 entries."],
  ])("%s", (_what, failure, field, sentence) => {
    expect(schemaSentence(failure, field)).toBe(sentence);
  });

  it("leaves keywords it has no sentence for to Ajv", () => {
    expect(schemaSentence({ keyword: "uniqueItems", params: {} }, "x")).toBeUndefined();
  });

  it("labels nested fields by their last part", () => {
    expect(missingValueSentence("peer.name")).toBe("Enter a name.");
    expect(missingValueSentence("peers[2].publicKey")).toBe("Enter the public key.");
  });
});
