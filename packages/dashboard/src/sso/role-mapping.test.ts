import { describe, expect, it } from "vitest";
import { roleFromClaims } from "./role-mapping.js";

const rule = { roleClaim: "groups", adminValues: ["ops"], viewerValues: ["staff"] };

describe("roleFromClaims", () => {
  it("grants admin before viewer, from an array or a single string", () => {
    expect(roleFromClaims({ groups: ["staff", "ops"] }, rule)).toBe("admin");
    expect(roleFromClaims({ groups: "ops" }, rule)).toBe("admin");
    expect(roleFromClaims({ groups: ["staff"] }, rule)).toBe("viewer");
  });

  it("grants nothing without a matching value, a missing claim or a claim of another shape", () => {
    expect(roleFromClaims({ groups: ["guests"] }, rule)).toBeNull();
    expect(roleFromClaims({}, rule)).toBeNull();
    expect(roleFromClaims({ groups: { ops: true } }, rule)).toBeNull();
    expect(roleFromClaims({ role: "ops" }, rule)).toBeNull();
  });

  it("admits anyone as a viewer with *, and still makes admins of the admin values", () => {
    const open = { ...rule, viewerValues: ["*"] };
    expect(roleFromClaims({}, open)).toBe("viewer");
    expect(roleFromClaims({ groups: ["ops"] }, open)).toBe("admin");
  });
});
