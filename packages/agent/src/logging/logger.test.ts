import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Authenticator } from "../http/auth.js";
import { dispatchContext } from "../http/server.js";
import { createLogger } from "./logger.js";

async function capture(format: "json" | "pretty" = "json") {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
  const log = await createLogger({ format, level: "debug", destination: out });
  return { log, text: () => chunks.join("") };
}

describe("agent logger", () => {
  it("writes JSON lines and redacts key fields at any depth it knows", async () => {
    const { log, text } = await capture();
    log.logger.info(
      {
        interface: { name: "wg0", privateKey: "PRIV" },
        peer: { publicKey: "PUB", presharedKey: "PSK" },
        secret: "S",
      },
      "applied",
    );
    const line = JSON.parse(text().trim()) as Record<string, unknown>;
    expect(line.msg).toBe("applied");
    expect(text()).not.toMatch(/PRIV|PSK|"S"/);
    expect(text()).toContain("PUB");
  });

  it("scrubs the shared secrets from any line, in both formats", async () => {
    for (const format of ["json", "pretty"] as const) {
      const { log, text } = await capture(format);
      log.setSecrets(["the-shared-secret-value"]);
      log.logger.error(
        { err: new Error("failed with the-shared-secret-value inside") },
        "oops the-shared-secret-value",
      );
      expect(text()).toContain("[redacted]");
      expect(text()).not.toContain("the-shared-secret-value");
    }
  });

  it("scrubs the shared secrets from the request line, which skips the field redaction", async () => {
    const { log, text } = await capture();
    log.setSecrets(["the-shared-secret-value"]);
    const { requestLog } = dispatchContext({ routes: [], auth: {} as Authenticator, logger: log.logger });
    requestLog.info({ method: "PUT", status: 400, message: "bad the-shared-secret-value" }, "request");
    const line = JSON.parse(text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: "request", method: "PUT", status: 400, service: "wgfleet-agent" });
    expect(text()).not.toContain("the-shared-secret-value");
  });
});
