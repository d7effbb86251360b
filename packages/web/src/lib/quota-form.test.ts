import { describe, expect, it } from "vitest";
import type { PeerQuotaDto } from "../api/types.js";
import { amountInvalid, blankQuotaForm, quotaChanged, quotaFormOf, quotaOf } from "./quota-form.js";

const WEEKLY: PeerQuotaDto = {
  bytes: 1_610_612_736,
  period: "weekly",
  resetDay: 3,
  counting: "rx",
  action: "disable",
  warnAtPercent: 80,
};

describe("the quota form", () => {
  it("sends no quota for an empty amount", () => {
    expect(quotaOf(blankQuotaForm())).toBeNull();
    expect(quotaOf({ ...blankQuotaForm(), amount: "  " })).toBeNull();
  });

  it("sends the budget in bytes, the reset day only where the period has one, and no warning as null", () => {
    const monthly = { ...blankQuotaForm(), amount: "10", unit: "GiB" as const, monthDay: 15 };
    expect(quotaOf(monthly)).toEqual({
      bytes: 10 * 1024 ** 3,
      period: "monthly",
      resetDay: 15,
      counting: "total",
      action: "suspend",
      warnAtPercent: null,
    });
    const weekly = { ...monthly, period: "weekly" as const, weekday: "0", warnAtPercent: "90" };
    expect(quotaOf(weekly)).toMatchObject({ period: "weekly", resetDay: 0, warnAtPercent: 90 });
    for (const period of ["none", "daily"] as const)
      expect(quotaOf({ ...monthly, period })).not.toHaveProperty("resetDay");
  });

  it("shows a stored quota and sends it back unchanged", () => {
    const form = quotaFormOf(WEEKLY);
    expect(form).toMatchObject({ amount: "1.5", unit: "GiB", period: "weekly", weekday: "3" });
    expect(form.warnAtPercent).toBe("80");
    expect(quotaOf(form)).toEqual(WEEKLY);
    expect(quotaChanged(form, WEEKLY)).toBe(false);
    expect(quotaChanged({ ...form, warnAtPercent: "" }, WEEKLY)).toBe(true);
    expect(quotaChanged({ ...form, amount: "" }, WEEKLY)).toBe(true);
  });

  it("treats a blank form on a peer without a quota as no change, whatever the other fields say", () => {
    expect(quotaChanged({ ...blankQuotaForm(), period: "daily" }, null)).toBe(false);
  });

  it("keeps text that is no amount as NaN, for the API to refuse by name", () => {
    expect(quotaOf({ ...blankQuotaForm(), amount: "lots" })?.bytes).toBeNaN();
  });

  it("finds amounts no budget can be made of, and leaves an empty one (no quota) alone", () => {
    const form = blankQuotaForm();
    expect(amountInvalid({ ...form, amount: "" })).toBe(false);
    expect(amountInvalid({ ...form, amount: "1,5" })).toBe(false);
    expect(amountInvalid({ ...form, amount: "0.5", unit: "MiB" })).toBe(false);
    expect(amountInvalid({ ...form, amount: "0" })).toBe(true);
    expect(amountInvalid({ ...form, amount: "lots" })).toBe(true);
    expect(amountInvalid({ ...form, amount: "-1" })).toBe(true);
    expect(amountInvalid({ ...form, amount: "99999999", unit: "TiB" })).toBe(true);
  });
});
