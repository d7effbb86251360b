import { describe, expect, it } from "vitest";
import { NodeUnavailableError, PoolExhaustedError, ValidationError, WgFleetError } from "./errors.js";

describe("errors", () => {
  it("a validation error names its field in the message and the body", () => {
    const error = new ValidationError("dns", "must not contain a newline");
    expect(error.status).toBe(400);
    expect(error.toBody()).toEqual({
      error: { code: "VALIDATION", message: "dns: must not contain a newline", field: "dns" },
    });
  });

  it("maps codes to the statuses the HTTP API documents", () => {
    expect(new PoolExhaustedError("198.51.100.0/24").status).toBe(409);
    expect(new NodeUnavailableError("node n1 is offline").status).toBe(503);
    expect(new WgFleetError("NODE_ERROR", "agent said no").status).toBe(502);
    expect(new WgFleetError("RATE_LIMITED", "slow down").toBody().error).not.toHaveProperty("field");
  });
});
