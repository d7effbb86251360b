// Two-factor sign-in (TOTP, RFC 6238) as the API shows it: a user's own status, the enrolment answer
// (the secret is shown while enrolling and never again), the one-time recovery codes (shown once), and
// the policy an admin sets. Never carries a stored secret or a recovery code's hash.
import { type Static, Type } from "@sinclair/typebox";
import { PASSWORD_MAX_LENGTH } from "./user.js";

export const RECOVERY_CODE_COUNT = 10;
export const TOTP_CODE_PATTERN = "^[0-9]{6}$";

/** `GET /api/v1/users/me/totp`. */
export const TwoFactorStatusDtoSchema = Type.Object({
  enabled: Type.Boolean(),
  /** An enrolment was started and not confirmed yet. */
  pending: Type.Boolean(),
  /** Unspent recovery codes; 0 while not enabled. */
  recoveryCodesLeft: Type.Integer({ minimum: 0 }),
  /** The policy requires two-factor sign-in of this user (an admin while "require for admins" is on). */
  required: Type.Boolean(),
});
export type TwoFactorStatusDto = Static<typeof TwoFactorStatusDtoSchema>;

/** `POST /api/v1/users/me/totp`: a new secret to put in an authenticator app, then confirm with a code. */
export const TotpEnrolmentDtoSchema = Type.Object({
  /** Base32, for typing into the app by hand. */
  secret: Type.String(),
  /** The `otpauth://totp/...` URI the QR code holds. */
  otpauthUri: Type.String(),
  /** The QR code of `otpauthUri`, as SVG text. */
  qrSvg: Type.String(),
});
export type TotpEnrolmentDto = Static<typeof TotpEnrolmentDtoSchema>;

/** `POST /api/v1/users/me/totp/confirm`: a code from the app proves it holds the secret. */
export const ConfirmTotpBodySchema = Type.Object(
  { code: Type.String({ pattern: TOTP_CODE_PATTERN, description: "the 6-digit code the app shows" }) },
  { additionalProperties: false },
);
export type ConfirmTotpBody = Static<typeof ConfirmTotpBodySchema>;

/** The answer to a confirmed enrolment: the recovery codes, shown this once (only hashes are kept). */
export const RecoveryCodesDtoSchema = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { minItems: RECOVERY_CODE_COUNT, maxItems: RECOVERY_CODE_COUNT }),
});
export type RecoveryCodesDto = Static<typeof RecoveryCodesDtoSchema>;

/** `DELETE /api/v1/users/me/totp`: turning it off needs the password. */
export const DisableTotpBodySchema = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }) },
  { additionalProperties: false },
);
export type DisableTotpBody = Static<typeof DisableTotpBodySchema>;

/** `GET` / `PUT /api/v1/two-factor/policy`. */
export const TwoFactorPolicyDtoSchema = Type.Object(
  {
    /** Every admin must set up two-factor sign-in; one who has not is sent to do so after signing in. */
    requireForAdmins: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type TwoFactorPolicyDto = Static<typeof TwoFactorPolicyDtoSchema>;
