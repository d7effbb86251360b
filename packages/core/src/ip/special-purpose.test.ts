import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { formatCidr } from "./cidr.js";
import { parsePoolCidr } from "./special-purpose.js";

function refusal(text: string, field: string, version: 4 | 6): ValidationError {
  try {
    parsePoolCidr(text, field, version);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`${text} was accepted`);
}

describe("tunnel pools refuse special-purpose ranges", () => {
  it.each([
    ["127.0.0.0/8", "loopback"],
    ["127.1.0.0/16", "loopback"],
    ["224.0.0.0/4", "multicast"],
    ["239.1.0.0/24", "multicast"],
    ["169.254.0.0/16", "link-local"],
    ["0.0.0.0/8", "this network"],
    ["0.0.0.0/0", "this network"],
    ["255.255.255.255/32", "broadcast"],
    ["240.0.0.0/4", "reserved"],
  ])("IPv4 %s (%s)", (text, why) => {
    const error = refusal(text, "pool", 4);
    expect(error.field).toBe("pool");
    expect(error.message).toContain(why);
  });

  it.each([
    ["::/128", "unspecified"],
    ["::1/128", "loopback"],
    ["::/120", "unspecified"],
    ["fe80::/10", "link-local"],
    ["fe80::/64", "link-local"],
    ["ff00::/8", "multicast"],
    ["ff02::/16", "multicast"],
    ["::ffff:0:0/96", "IPv4-mapped"],
    ["::ffff:c633:6400/120", "IPv4-mapped"],
  ])("IPv6 %s (%s)", (text, why) => {
    const error = refusal(text, "pool6", 6);
    expect(error.field).toBe("pool6");
    expect(error.message).toContain(why);
  });

  it("refuses the other IP version in each field", () => {
    expect(refusal("2001:db8::/64", "pool", 4).message).toContain("must be an IPv4 CIDR");
    expect(refusal("198.51.100.0/24", "pool6", 6).message).toContain("must be an IPv6 CIDR");
  });

  it("refuses host bits and names the network that was meant", () => {
    expect(refusal("198.19.2.5/28", "pool", 4).message).toBe(
      "pool: host bits set; did you mean 198.19.2.0/28",
    );
    expect(refusal("2001:db8::1/64", "pool6", 6).message).toContain("did you mean 2001:db8::/64");
  });

  it.each([
    ["198.18.0.0/15", 4],
    ["198.19.2.0/28", 4],
    ["198.51.100.0/24", 4],
    ["203.0.113.0/24", 4],
    ["10.0.0.0/8", 4],
    ["172.16.0.0/12", 4],
    ["192.168.7.0/24", 4],
    ["100.64.0.0/10", 4],
    ["2001:db8::/32", 6],
    ["2001:db8:1::/64", 6],
    ["fd12:3456::/64", 6],
  ] as const)("accepts the ordinary range %s", (text, version) => {
    expect(formatCidr(parsePoolCidr(` ${text} `, "pool", version))).toBe(text);
  });
});
