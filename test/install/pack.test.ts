// scripts/pack.ts's merge of the third-party dependencies of a package and the workspace packages it
// bundles: one range per package (so one installed copy, e.g. one TypeBox), workspace packages left out.
import { describe, expect, it } from "vitest";
import { thirdPartyDependencies } from "../../scripts/pack.js";

describe("thirdPartyDependencies", () => {
  it("merges the ranges of the package and its bundled workspace packages, without the workspace ones", () => {
    const merged = thirdPartyDependencies([
      {
        name: "@wgfleet/agent",
        version: "1.0.0",
        dependencies: { pino: "^10.4.0", "@wgfleet/core": "1.0.0" },
      },
      { name: "@wgfleet/core", version: "1.0.0", dependencies: { "@sinclair/typebox": "^0.34.52" } },
      {
        name: "@wgfleet/wireguard",
        version: "1.0.0",
        dependencies: { "@wgfleet/core": "1.0.0", pino: "^10.4.0" },
      },
    ]);
    expect(merged).toEqual({ "@sinclair/typebox": "^0.34.52", pino: "^10.4.0" });
  });

  it("refuses two ranges of one package, which would install two copies", () => {
    expect(() =>
      thirdPartyDependencies([
        { name: "@wgfleet/dashboard", version: "1.0.0", dependencies: { "@sinclair/typebox": "^0.34.52" } },
        { name: "@wgfleet/core", version: "1.0.0", dependencies: { "@sinclair/typebox": "^0.33.0" } },
      ]),
    ).toThrow("@sinclair/typebox: @wgfleet/core wants ^0.33.0, another package ^0.34.52; use one range");
  });
});
