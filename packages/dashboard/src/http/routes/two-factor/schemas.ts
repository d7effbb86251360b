// Two-factor sign-in as the API shows it: declared once in @wgfleet/core (shared with the web app).
export {
  ConfirmTotpBodySchema as ConfirmTotpBody,
  DisableTotpBodySchema as DisableTotpBody,
  RecoveryCodesDtoSchema as RecoveryCodesSchema,
  TotpEnrolmentDtoSchema as TotpEnrolmentSchema,
  TwoFactorPolicyDtoSchema as TwoFactorPolicySchema,
  TwoFactorStatusDtoSchema as TwoFactorStatusSchema,
} from "@wgfleet/core";
