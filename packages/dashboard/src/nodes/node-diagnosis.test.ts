import { describe, expect, it } from "vitest";
import { diagnoseAgent } from "./node-diagnosis.js";

const OPTIONS = { timeoutMs: 2000, maxClockSkewMs: 30_000, dashboardVersion: "0.0.0" };
const target = (agentUrl: string) => ({ agentUrl, keyId: "k", secret: "s".repeat(32) });

describe("an agent URL that cannot be reached", () => {
  // Node's own fetch: 6000 (X11) and 10080 are ports the Fetch standard blocks before any connection.
  it.each(["http://127.0.0.1:6000", "https://127.0.0.1:10080"])(
    "%s: says the port is blocked instead of suggesting https://",
    async (agentUrl) => {
      const diagnosis = await diagnoseAgent(target(agentUrl), OPTIONS);
      expect(diagnosis.problem).toBe("unreachable");
      expect(diagnosis.url).toBe("failed");
      expect(diagnosis.message).toContain("may not connect to this port");
      expect(diagnosis.message).toContain("start the agent on another port");
      expect(diagnosis.message).not.toContain("use https://");
    },
  );
});
