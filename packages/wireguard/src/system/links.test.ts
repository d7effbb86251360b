import { describe, expect, it } from "vitest";
import { addressChanges, canonicalCidr } from "./links.js";

describe("addressChanges", () => {
  it("adds what is missing and deletes what is not desired, comparing canonical text", () => {
    expect(
      addressChanges(["198.51.100.1/24", "203.0.113.1/24"], ["198.51.100.1/24", "2001:DB8:0::1/64"]),
    ).toEqual({
      add: ["2001:db8::1/64"],
      remove: ["203.0.113.1/24"],
    });
  });

  it("changes nothing when the addresses already match", () => {
    expect(
      addressChanges(["198.51.100.1/24", "2001:db8::1/64"], ["2001:db8:0:0::1/64", "198.51.100.1/24"]),
    ).toEqual({ add: [], remove: [] });
  });

  it("treats a new prefix length as a different address", () => {
    expect(addressChanges(["198.51.100.1/24"], ["198.51.100.1/25"])).toEqual({
      add: ["198.51.100.1/25"],
      remove: ["198.51.100.1/24"],
    });
  });

  it("canonicalises CIDR text", () => {
    expect(canonicalCidr("2001:0db8::0001/64")).toBe("2001:db8::1/64");
  });
});
