import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.js";
import { fieldOf, useFormErrors } from "./form-errors.js";

describe("fieldOf", () => {
  it("maps a field path to the form field it belongs to", () => {
    expect(fieldOf("name", ["name", "addresses"])).toBe("name");
    expect(fieldOf("addresses[1]", ["name", "addresses"])).toBe("addresses");
    expect(fieldOf("dns.0", ["dns"])).toBe("dns");
    expect(fieldOf("node", ["name"])).toBeNull();
    expect(fieldOf(undefined, ["name"])).toBeNull();
  });
});

describe("useFormErrors", () => {
  it("shows a field's error beside it and others at the top", async () => {
    const form = useFormErrors(["name", "addresses"]);
    await form.submit(async () => {
      throw new ApiError(400, "VALIDATION", "is not in the pool", "addresses[0]");
    });
    expect(form.errors.addresses).toBe("is not in the pool");
    expect(form.general.value).toBe("");
    const ok = await form.submit(async () => {
      throw new ApiError(503, "NODE_UNAVAILABLE", "no node available", "node");
    });
    expect(ok).toBe(false);
    expect(form.errors.addresses).toBeUndefined();
    expect(form.general.value).toBe("no node available");
  });
});
