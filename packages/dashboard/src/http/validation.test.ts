import { INTERFACE_NAME_PATTERN } from "@wgfleet/core";
import { describe, expect, it } from "vitest";
import { describeSchemaError, pointerToPath } from "./validation.js";

describe("schema error fields", () => {
  it("turns JSON pointers into field paths", () => {
    expect(pointerToPath("")).toBe("");
    expect(pointerToPath("/name")).toBe("name");
    expect(pointerToPath("/peers/3/allowedIps/0")).toBe("peers[3].allowedIps[0]");
    expect(pointerToPath("/a~1b/c~0d")).toBe("a/b.c~d");
  });

  it("names the missing, the unknown and the wrongly typed field", () => {
    const base = { schemaPath: "#", message: "must be string" };
    expect(
      describeSchemaError(
        { ...base, keyword: "required", instancePath: "/peer", params: { missingProperty: "name" } },
        "body",
      ),
    ).toEqual({ field: "peer.name", message: "Enter a name." });
    expect(
      describeSchemaError(
        { ...base, keyword: "additionalProperties", instancePath: "", params: { additionalProperty: "x" } },
        "body",
      ),
    ).toEqual({ field: "x", message: "is not a known field" });
    expect(
      describeSchemaError(
        { ...base, keyword: "type", instancePath: "/mtu", params: { type: "integer" } },
        "body",
      ),
    ).toEqual({ field: "mtu", message: "Enter a whole number." });
    expect(
      describeSchemaError({ ...base, keyword: "type", instancePath: "", params: { type: "object" } }, "body"),
    ).toEqual({ field: "body", message: "Send an object with the fields this request takes." });
  });
});

describe("pattern failures", () => {
  it("say the rule in words instead of quoting the regular expression", () => {
    const described = describeSchemaError(
      {
        keyword: "pattern",
        instancePath: "/interfaceName",
        schemaPath: "#",
        params: { pattern: INTERFACE_NAME_PATTERN },
        message: `must match pattern "${INTERFACE_NAME_PATTERN}"`,
      },
      "body",
    );
    expect(described.field).toBe("interfaceName");
    expect(described.message).toContain("starting with a letter or digit");
  });
});
