// The quota fields of the peer dialogs as a form, and the API's quota from them. An empty amount is
// no quota; the reset day only means something for weekly (a weekday) and monthly (day 1-28) periods,
// so it is sent only for those.
import type { PeerQuota, PeerQuotaDto, QuotaAction, QuotaCounting, QuotaPeriod } from "../api/types.js";
import { amountOf, type ByteUnit, bytesOf } from "./byte-units.js";
import { type FieldValue, numberOf, textOf } from "./form-values.js";

export interface QuotaForm {
  amount: string;
  unit: ByteUnit;
  period: QuotaPeriod;
  /** Weekly: the weekday (0 = Sunday); the select keeps it as text. */
  weekday: string;
  /** Monthly: the day of the month, 1-28. */
  monthDay: FieldValue;
  counting: QuotaCounting;
  action: QuotaAction;
  warnAtPercent: FieldValue;
}

export function blankQuotaForm(): QuotaForm {
  return {
    amount: "",
    unit: "GiB",
    period: "monthly",
    weekday: "1",
    monthDay: "1",
    counting: "total",
    action: "suspend",
    warnAtPercent: "",
  };
}

/** The form showing a peer's quota (a blank form for none). */
export function quotaFormOf(quota: PeerQuotaDto | null): QuotaForm {
  const form = blankQuotaForm();
  if (!quota) return form;
  const { amount, unit } = amountOf(quota.bytes);
  return {
    ...form,
    amount,
    unit,
    period: quota.period,
    weekday: quota.period === "weekly" ? String(quota.resetDay) : form.weekday,
    monthDay: quota.period === "monthly" ? String(quota.resetDay) : form.monthDay,
    counting: quota.counting,
    action: quota.action,
    warnAtPercent: quota.warnAtPercent === null ? "" : String(quota.warnAtPercent),
  };
}

/**
 * The quota to send; null when the amount is empty (no quota). A number the API refuses (NaN, a day 31)
 * is sent as typed so the 400 names the field and the form shows why.
 */
export function quotaOf(form: QuotaForm): PeerQuota | null {
  if (textOf(form.amount) === "") return null;
  const quota: PeerQuota = {
    bytes: bytesOf(form.amount, form.unit),
    period: form.period,
    counting: form.counting,
    action: form.action,
    warnAtPercent: numberOf(form.warnAtPercent) ?? null,
  };
  if (form.period === "weekly") quota.resetDay = Number(form.weekday);
  if (form.period === "monthly") quota.resetDay = numberOf(form.monthDay) ?? 1;
  return quota;
}

/** Whether the person changed the quota fields (an edit sends the quota only then). */
export function quotaChanged(form: QuotaForm, quota: PeerQuotaDto | null): boolean {
  return JSON.stringify(quotaOf(form)) !== JSON.stringify(quotaOf(quotaFormOf(quota)));
}

/**
 * Whether the amount is text no budget can be made of ("abc", "0"). The form says so itself: the API
 * would only see bytes, and its "whole number from 1 to …" is not what was typed in GiB.
 */
export function amountInvalid(form: Pick<QuotaForm, "amount" | "unit">): boolean {
  if (textOf(form.amount) === "") return false;
  const bytes = bytesOf(textOf(form.amount), form.unit);
  return !Number.isSafeInteger(bytes) || bytes < 1;
}

/**
 * Every value of a union, from an object with each as a key: a value core adds fails the type check
 * here instead of missing from the selects. (The web takes only types from core, no runtime code.)
 */
function everyOf<T extends string>(values: Record<T, true>): T[] {
  return Object.keys(values) as T[];
}

export const QUOTA_PERIOD_OPTIONS = everyOf<QuotaPeriod>({
  none: true,
  daily: true,
  weekly: true,
  monthly: true,
});
export const QUOTA_COUNTING_OPTIONS = everyOf<QuotaCounting>({ total: true, rx: true, tx: true });
export const QUOTA_ACTION_OPTIONS = everyOf<QuotaAction>({ suspend: true, disable: true, delete: true });
