import { describe, expect, it } from "vitest";
import { versionProblem } from "./node-diagnosis.js";
import {
  validateAgentUrl,
  validateCreateNode,
  validateEndpointHost,
  validateNodeChanges,
  validateSecret,
} from "./node-input.js";

const SECRET = "0123456789abcdef0123";

describe("node input", () => {
  it("applies the documented defaults: weight 100, enabled, the default soft cap", () => {
    const input = validateCreateNode(
      { name: "node1", agentUrl: "http://198.18.0.2:7443/", secret: SECRET, endpoint: "198.18.0.2" },
      1000,
    );
    expect(input).toEqual({
      name: "node1",
      agentUrl: "http://198.18.0.2:7443",
      secret: SECRET,
      endpoint: "198.18.0.2",
      weight: 100,
      maxPeers: 1000,
      enabled: true,
    });
  });

  it("keeps an agent URL's path prefix and refuses credentials, queries and other schemes", () => {
    expect(validateAgentUrl("https://Node1.Example.com:7443/agent/")).toBe(
      "https://node1.example.com:7443/agent",
    );
    for (const bad of [
      "ftp://x",
      "http://user:pw@x:1",
      "http://x:1/?a=1",
      "not a url",
      "",
      "http://x:1/#f",
    ]) {
      expect(() => validateAgentUrl(bad), bad).toThrow(/agentUrl/);
    }
  });

  it("takes a host name or an address as the client endpoint, never a port", () => {
    expect(validateEndpointHost("vpn.Example.com")).toBe("vpn.example.com");
    expect(validateEndpointHost("198.18.0.2")).toBe("198.18.0.2");
    expect(validateEndpointHost("[2001:db8::1]")).toBe("2001:db8::1");
    expect(validateEndpointHost("2001:db8::1")).toBe("2001:db8::1");
    for (const bad of ["198.18.0.2:51820", "vpn.example.com:51820", "a b", "-x", ""]) {
      expect(() => validateEndpointHost(bad), bad).toThrow(/endpoint/);
    }
  });

  it("refuses a secret the agent would refuse, without repeating it", () => {
    for (const bad of ["short", `${SECRET}\nsecond`, ` ${SECRET}`]) {
      let message = "";
      try {
        validateSecret(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^secret:/);
      expect(message).not.toContain(bad.trim());
    }
  });

  it("changes only the fields given, each checked", () => {
    expect(validateNodeChanges({ weight: 200 })).toEqual({ weight: 200 });
    expect(validateNodeChanges({ enabled: false, maxPeers: 10 })).toEqual({ enabled: false, maxPeers: 10 });
    expect(() => validateNodeChanges({ weight: 0 })).toThrow(/weight/);
    expect(() => validateNodeChanges({ maxPeers: 1.5 })).toThrow(/maxPeers/);
    expect(() => validateNodeChanges({ name: "" })).toThrow(/name/);
  });

  it("accepts an agent of the same major release", () => {
    expect(versionProblem("0.1.0", "0.1.0")).toBeNull();
    expect(versionProblem("0.2.3", "0.1.0")).toBeNull();
    expect(versionProblem("1.0.0", "0.1.0")).toMatch(/agent 1\.0\.0 does not match dashboard 0\.1\.0/);
  });
});
