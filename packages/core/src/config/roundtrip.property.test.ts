import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.js";
import { parseWgQuick } from "./parse.js";
import { renderWgQuick, renderWgSetconf } from "./render.js";
import {
  fileArb,
  hostileTextArb,
  interfaceArb,
  keyArb,
  messyStyleArb,
  peerArb,
  renderMessy,
} from "./test-support/arbitraries.js";
import type { WgQuickFile } from "./types.js";
import { validateWgQuickFile } from "./validate-file.js";

describe("wg-quick round trips (property)", () => {
  it("parseWgQuick(renderWgQuick(x)) deep-equals x", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        expect(parseWgQuick(renderWgQuick(file))).toStrictEqual(file);
      }),
      { numRuns: 300 },
    );
  });

  it("reads a file spelled any way wg-quick accepts (key case, spacing, comments, CRLF, split lists, names above)", () => {
    fc.assert(
      fc.property(fileArb, messyStyleArb, (file, style) => {
        expect(parseWgQuick(renderMessy(file, style))).toStrictEqual(file);
      }),
      { numRuns: 300 },
    );
  });

  it("reads UTF-8 bytes exactly as the string", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        expect(parseWgQuick(new TextEncoder().encode(renderWgQuick(file)))).toStrictEqual(file);
      }),
      { numRuns: 100 },
    );
  });

  it("everything the parser produces passes validation unchanged", () => {
    fc.assert(
      fc.property(fileArb, messyStyleArb, (file, style) => {
        const parsed = parseWgQuick(renderMessy(file, style));
        expect(validateWgQuickFile(parsed)).toStrictEqual(parsed);
      }),
      { numRuns: 100 },
    );
  });

  it("renderWgSetconf keeps exactly the wg(8) fields", () => {
    fc.assert(
      fc.property(fileArb, (file) => {
        const setconf = parseWgQuick(renderWgSetconf(file));
        const { privateKey, listenPort, fwMark } = file.interface;
        expect(setconf.interface).toStrictEqual({
          ...parseWgQuick("[Interface]\n").interface,
          ...(privateKey !== undefined && { privateKey }),
          ...(listenPort !== undefined && { listenPort }),
          ...(fwMark !== undefined && { fwMark }),
        });
        expect(setconf.peers).toStrictEqual(
          file.peers.map(({ name: _name, extra: _extra, ...wg }) => ({ ...wg, extra: [] })),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe("no input can add a line, a key or a section (property)", () => {
  type Slot = (file: WgQuickFile, text: string) => WgQuickFile;
  const slots: Record<string, Slot> = {
    "interface.name": (f, t) => ({ ...f, interface: { ...f.interface, name: t } }),
    "interface.postUp": (f, t) => ({ ...f, interface: { ...f.interface, postUp: [t] } }),
    "interface.extra": (f, t) => ({ ...f, interface: { ...f.interface, extra: [["Custom", t]] } }),
    "interface.dns": (f, t) => ({ ...f, interface: { ...f.interface, dns: [t] } }),
    "interface.table": (f, t) => ({ ...f, interface: { ...f.interface, table: t } }),
    "peers[0].name": (f, t) => ({ ...f, peers: [{ ...(f.peers[0] as WgQuickFile["peers"][0]), name: t }] }),
    "peers[0].allowedIps": (f, t) => ({
      ...f,
      peers: [{ ...(f.peers[0] as WgQuickFile["peers"][0]), allowedIps: [t] }],
    }),
    "peers[0].endpoint": (f, t) => ({
      ...f,
      peers: [{ ...(f.peers[0] as WgQuickFile["peers"][0]), endpoint: t }],
    }),
    "peers[0].extra key": (f, t) => ({
      ...f,
      peers: [{ ...(f.peers[0] as WgQuickFile["peers"][0]), extra: [[t, "1"]] }],
    }),
  };
  const baseArb = fc.record({ interface: interfaceArb, peers: fc.tuple(peerArb) }, { noNullPrototype: true });

  it.each(Object.keys(slots))(
    "hostile text in %s is rejected or written as one value of one line",
    (slot) => {
      const put = slots[slot] as Slot;
      fc.assert(
        fc.property(baseArb, hostileTextArb, (base, text) => {
          const file = put(base, text);
          let rendered: string;
          try {
            rendered = renderWgQuick(file);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            const expectedField = slot.replace(" key", "");
            expect((error as ValidationError).field).toBe(expectedField);
            return;
          }
          expect(rendered.split("\n").length).toBe(renderWgQuick(put(base, "x")).split("\n").length);
          expect(parseWgQuick(rendered)).toStrictEqual(validateWgQuickFile(file));
        }),
        { numRuns: 200 },
      );
    },
  );

  it("a key anywhere but in its own field never parses as that key", () => {
    fc.assert(
      fc.property(interfaceArb, keyArb, (iface, key) => {
        const file = { interface: { ...iface, postUp: [`echo PrivateKey = ${key}`] }, peers: [] };
        const parsed = parseWgQuick(renderWgQuick(file));
        expect(parsed.interface.privateKey).toBe(iface.privateKey);
      }),
      { numRuns: 50 },
    );
  });
});
