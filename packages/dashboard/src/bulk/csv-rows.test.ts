import { describe, expect, it } from "vitest";
import { CsvRowsError, formatCsv, guardFormula, parseCsv } from "./csv-rows.js";

describe("parseCsv", () => {
  it("gives each record the line it starts on, past quoted newlines, blank lines and a BOM", () => {
    for (const eol of ["\n", "\r\n"]) {
      const { columns, records } = parseCsv(`\uFEFFname,node${eol}"two\nlines",a${eol}${eol}plain,b${eol}`);
      expect(columns).toEqual(["name", "node"]);
      expect(records).toEqual([
        { line: 2, values: { name: "two\nlines", node: "a" } },
        { line: 5, values: { name: "plain", node: "b" } },
      ]);
    }
  });

  it("a file csv-parse cannot read is a 400 naming its line", () => {
    let caught: unknown;
    try {
      parseCsv("name,node\na,b\nc,d,e\n");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CsvRowsError);
    expect((caught as CsvRowsError).rows).toEqual([expect.objectContaining({ line: 3, field: "csv" })]);
    expect((caught as CsvRowsError).toBody()).toMatchObject({
      error: { code: "VALIDATION" },
      rows: [{ line: 3 }],
    });
  });
});

describe("formatCsv", () => {
  it("quotes what must be quoted and reads back the same", () => {
    const text = formatCsv(["name", "publicKey"], [['say "hi", ok', "+abc/="]]);
    expect(text).toBe('name,publicKey\r\n"say ""hi"", ok",+abc/=\r\n');
    expect(parseCsv(text).records[0]?.values).toEqual({ name: 'say "hi", ok', publicKey: "+abc/=" });
  });

  it("guards a name a spreadsheet would run as a formula", () => {
    expect(guardFormula("=1+1")).toBe("'=1+1");
    expect(guardFormula("@cmd")).toBe("'@cmd");
    expect(guardFormula("phone")).toBe("phone");
  });
});
