import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

describe("logger", () => {
  it("redacts credentials in headers and secret fields at any of the first levels", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ destination });
    logger.info(
      {
        req: { headers: { authorization: "Bearer wgf_x", cookie: "wgfleet_session=t", "x-csrf-token": "c" } },
        password: "p1",
        user: { password: "p2", name: "alice" },
        peer: { keys: { privateKey: "k1", presharedKey: "k2" }, publicKey: "public" },
      },
      "hello",
    );
    const text = lines.join("");
    for (const secret of ["wgf_x", "wgfleet_session=t", '"c"', "p1", "p2", "k1", "k2"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("alice");
    expect(text).toContain("public");
    expect(JSON.parse(text).msg).toBe("hello");
  });
});
