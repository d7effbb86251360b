import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.js";
import { fieldOf, fieldSentence, useFormErrors } from "./form-errors.js";

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
      throw new ApiError(400, "VALIDATION", "addresses[0]: is not in the pool", "addresses[0]");
    });
    expect(form.errors.addresses).toBe("Is not in the pool.");
    expect(form.general.value).toBe("");
    const ok = await form.submit(async () => {
      throw new ApiError(503, "NODE_UNAVAILABLE", "no node available", "node");
    });
    expect(ok).toBe(false);
    expect(form.errors.addresses).toBeUndefined();
    expect(form.general.value).toBe("no node available");
  });

  it("keeps the API's path of a grouped field's error, and takes the form's own messages", async () => {
    const form = useFormErrors(["quota", "schedule"]);
    await form.submit(async () => {
      throw new ApiError(400, "VALIDATION", "Enter a whole number from 1 to 99.", "quota.warnAtPercent");
    });
    expect(form.errors.quota).toBe("Enter a whole number from 1 to 99.");
    expect(form.paths.quota).toBe("quota.warnAtPercent");
    form.set("schedule", "一个句子。", "schedule.windows[1].days");
    expect(form.errors.schedule).toBe("一个句子。");
    expect(form.paths.schedule).toBe("schedule.windows[1].days");
    form.clear();
    expect(form.paths).toEqual({});
  });
});

describe("fieldSentence", () => {
  it("drops the field's name the label already says and makes a sentence", () => {
    expect(fieldSentence("newPassword: Use at least 8 characters.", "newPassword")).toBe(
      "Use at least 8 characters.",
    );
    expect(fieldSentence("name: a peer named ana already exists in wg0", "name")).toBe(
      "A peer named ana already exists in wg0.",
    );
    expect(fieldSentence("peers[2].name: Enter a name.", "peers[2].name")).toBe("Enter a name.");
    expect(fieldSentence("no node available", undefined)).toBe("No node available.");
    expect(fieldSentence("other: keeps another field's name", "name")).toBe(
      "Other: keeps another field's name.",
    );
  });
});
