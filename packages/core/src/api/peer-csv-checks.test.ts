import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../keys/index.js";
import { checkPeerCsvHeader, checkPeerCsvRow } from "./peer-csv-checks.js";

describe("checkPeerCsvHeader", () => {
  it("takes the import columns and the export's `enabled`, in any order", () => {
    expect(checkPeerCsvHeader(["node", "name", "addresses", "enabled", "quotaBytes"])).toEqual([]);
  });

  it("names an unknown or repeated column and a missing name, on line 1", () => {
    expect(checkPeerCsvHeader(["addresses", "privateKey", "addresses"])).toEqual([
      expect.objectContaining({ line: 1, field: "privateKey" }),
      { line: 1, field: "addresses", message: "column given twice" },
      { line: 1, field: "name", message: "the name column is required" },
    ]);
  });
});

describe("checkPeerCsvRow", () => {
  const key = generateKeyPair().publicKey;

  it("turns a full row into the peer to create (no preshared key unless given, quota for life)", () => {
    const result = checkPeerCsvRow(
      {
        name: " phone ",
        addresses: "198.51.100.7/32; 2001:db8::7",
        publicKey: key,
        expiresAt: "2030-01-31",
        quotaBytes: "1000000",
        node: "node-a",
        enabled: "false",
      },
      4,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.peer).toMatchObject({
      name: "phone",
      node: "node-a",
      publicKey: key,
      presharedKey: false,
      expiresAt: "2030-01-31T00:00:00.000Z",
      quota: { bytes: 1_000_000, period: "none" },
    });
    expect(result.peer.addresses).toHaveLength(2);
  });

  it("empty cells are not given: only a name makes a peer placed by auto", () => {
    const result = checkPeerCsvRow({ name: "laptop", addresses: "", publicKey: " ", node: "" }, 2);
    expect(result).toEqual({ ok: true, peer: { name: "laptop", node: "auto", presharedKey: false } });
  });

  it("names every bad field of the row with the row's line", () => {
    const result = checkPeerCsvRow(
      {
        name: "",
        addresses: "198.51.100.0/24",
        publicKey: "not-a-key",
        presharedKey: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        expiresAt: "2030-02-30",
        quotaBytes: "12.5",
      },
      9,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [9, "quotaBytes"],
      [9, "name"],
      [9, "addresses"],
      [9, "publicKey"],
      [9, "presharedKey"],
      [9, "expiresAt"],
    ]);
    // The field is its own column; the message does not repeat it.
    expect(result.errors.find((e) => e.field === "expiresAt")?.message).not.toMatch(/^expiresAt:/);
  });

  it("refuses a newline (or any control character) that quoting let into a name", () => {
    for (const name of ["two\nlines", "tab\there", "cr\rname"]) {
      const result = checkPeerCsvRow({ name }, 3);
      expect(result.ok, JSON.stringify(name)).toBe(false);
      if (!result.ok) expect(result.errors[0]).toMatchObject({ line: 3, field: "name" });
    }
  });

  it("takes back the apostrophe the export puts before a name a spreadsheet would run", () => {
    const result = checkPeerCsvRow({ name: "'=SUM(A1)" }, 2);
    expect(result.ok && result.peer.name).toBe("=SUM(A1)");
  });

  it("refuses a quota that is not a whole positive number of bytes", () => {
    for (const quotaBytes of ["0", "-5", "1e6", "9007199254740993"]) {
      const result = checkPeerCsvRow({ name: "q", quotaBytes }, 5);
      expect(result.ok, quotaBytes).toBe(false);
    }
  });
});
