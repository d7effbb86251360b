import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import {
  validateCidrEntry,
  validateDnsEntry,
  validateEndpointValue,
  validateExtraKey,
  validateFwMark,
  validateListenPort,
  validateMtu,
  validatePersistentKeepalive,
  validateTable,
} from "./entries.js";

const rejects = (run: () => unknown, field: string) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    return;
  }
  throw new Error("expected a ValidationError");
};

describe("validateDnsEntry", () => {
  it.each(["198.51.100.53", "2001:db8::53", "corp.example.com", "example.net.", "lan"])(
    "accepts %s",
    (entry) => {
      expect(validateDnsEntry(` ${entry} `)).toBe(entry);
    },
  );

  it.each([
    "{{ dns }}",
    "$(curl evil)",
    "`id`",
    "a;b",
    "1.1.1.1 8.8.8.8",
    "1.2.3",
    "198.51.100.256",
    "2001:db8::zz",
    "-leading.example.com",
    "under_score.example.com",
    "",
    "x".repeat(254),
  ])("rejects %j", (entry) => {
    rejects(() => validateDnsEntry(entry, "dns"), "dns");
  });
});

describe("validateCidrEntry", () => {
  it.each(["198.51.100.1/24", "198.51.100.9", "2001:db8::/32", "2001:DB8::1/64", "0.0.0.0/0"])(
    "keeps %s as written",
    (cidr) => {
      expect(validateCidrEntry(cidr)).toBe(cidr);
    },
  );

  it.each(["198.51.100.1/33", "10.0.0.0/8, 10.1.0.0/16", "", "::/129", "not-a-cidr", "1".repeat(100)])(
    "rejects %j",
    (cidr) => rejects(() => validateCidrEntry(cidr, "peers[0].allowedIps"), "peers[0].allowedIps"),
  );
});

describe("validateEndpointValue", () => {
  it.each(["vpn.example.com:51820", "203.0.113.10:51820", "[2001:db8::1]:51820"])(
    "accepts %s",
    (endpoint) => {
      expect(validateEndpointValue(endpoint)).toBe(endpoint);
    },
  );

  it.each(["vpn.example.com", "[Peer]:51820", "vpn.example.com:0", "vpn example.com:1", "2001:db8::1:51820"])(
    "rejects %j",
    (endpoint) => rejects(() => validateEndpointValue(endpoint), "endpoint"),
  );
});

describe("Table and FwMark", () => {
  it.each(["off", "auto", "main", "1234"])("accepts Table = %s", (table) =>
    expect(validateTable(table)).toBe(table),
  );
  it.each(["", "a b", "x;reboot", "t".repeat(65)])("rejects Table = %j", (table) =>
    rejects(() => validateTable(table), "table"),
  );
  it.each(["off", "OFF", "0", "51820", "0xca6c", "0XFFFFFFFF", "4294967295"])("accepts FwMark = %s", (mark) =>
    expect(validateFwMark(mark)).toBe(mark),
  );
  it.each(["4294967296", "0x100000000", "-1", "on", "0x", ""])("rejects FwMark = %j", (mark) =>
    rejects(() => validateFwMark(mark), "fwMark"),
  );
});

describe("numbers", () => {
  it("checks ranges and integrality", () => {
    expect(validateListenPort(51820)).toBe(51820);
    expect(validateMtu(1280)).toBe(1280);
    expect(validatePersistentKeepalive(0)).toBe(0);
    rejects(() => validateListenPort(65536), "listenPort");
    rejects(() => validateListenPort(1.5), "listenPort");
    rejects(() => validateMtu(575), "mtu");
    rejects(() => validatePersistentKeepalive(-1), "persistentKeepalive");
    rejects(() => validateListenPort("51820" as unknown as number), "listenPort");
  });
});

describe("validateExtraKey", () => {
  it("accepts unknown words and refuses known keys, '=' and spaces", () => {
    expect(validateExtraKey("Jc", "interface", "interface.extra")).toBe("Jc");
    expect(validateExtraKey("Endpoint", "interface", "interface.extra")).toBe("Endpoint");
    for (const key of [
      "address",
      "PostUp",
      "PrivateKey",
      "Foo = Bar",
      "Foo Bar",
      "[Peer]",
      "",
      "1x",
      "k".repeat(65),
    ]) {
      rejects(() => validateExtraKey(key, "interface", "interface.extra"), "interface.extra");
    }
    rejects(() => validateExtraKey("allowedips", "peer", "peers[0].extra"), "peers[0].extra");
  });
});
