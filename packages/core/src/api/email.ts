// E-mail: the SMTP settings the dashboard sends with, the test mail, and "email this peer's link". The
// SMTP password is write-only: answers say only whether one is set. The schemas check shapes;
// email-checks.ts checks meaning (addresses, host names) and names the field that is wrong.
import { type Static, Type } from "@sinclair/typebox";
import { SHARE_LINK_MAX_HOURS } from "./share.js";
import { NullableTimestampSchema, TimestampSchema } from "./timestamp.js";

/** How the connection to the SMTP server is protected: none, STARTTLS after connecting, or TLS from the start. */
export const EMAIL_SECURITY_MODES = ["none", "starttls", "tls"] as const;
export type EmailSecurity = (typeof EMAIL_SECURITY_MODES)[number];
export const EmailSecuritySchema = Type.Union([
  Type.Literal("none"),
  Type.Literal("starttls"),
  Type.Literal("tls"),
]);

/** The longest address RFC 5321 allows on the wire. */
export const EMAIL_ADDRESS_MAX_LENGTH = 254;
const AddressText = (description: string) =>
  Type.String({ maxLength: EMAIL_ADDRESS_MAX_LENGTH, description });

/** `GET /api/v1/settings/email`: never the password, only whether one is stored. */
export const EmailSettingsDtoSchema = Type.Object({
  enabled: Type.Boolean({ description: "false: no mail is sent (warnings wait in the outbox)" }),
  host: Type.String(),
  port: Type.Integer(),
  security: EmailSecuritySchema,
  user: Type.Union([Type.String(), Type.Null()]),
  passwordSet: Type.Boolean(),
  from: Type.String(),
  updatedAt: NullableTimestampSchema,
});
export type EmailSettingsDto = Static<typeof EmailSettingsDtoSchema>;

/** `PUT /api/v1/settings/email`: the whole set; `password` omitted keeps the stored one, null removes it. */
export const UpdateEmailSettingsBodySchema = Type.Object(
  {
    enabled: Type.Boolean(),
    host: Type.String({ maxLength: 253, description: "the SMTP server's host name or address" }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    security: EmailSecuritySchema,
    user: Type.Optional(
      Type.Union([Type.String({ maxLength: 256 }), Type.Null()], { description: "null: no login" }),
    ),
    password: Type.Optional(
      Type.Union([Type.String({ maxLength: 1024 }), Type.Null()], {
        description: "omitted: keep the stored one; null: remove it",
      }),
    ),
    from: AddressText("the sender address"),
  },
  { additionalProperties: false },
);
export type UpdateEmailSettingsBody = Static<typeof UpdateEmailSettingsBodySchema>;

/** `POST /api/v1/settings/email/test`. */
export const TestEmailBodySchema = Type.Object(
  { to: AddressText("where the test mail goes") },
  { additionalProperties: false },
);
export type TestEmailBody = Static<typeof TestEmailBodySchema>;

export const TestEmailResultDtoSchema = Type.Object({
  to: Type.String(),
  /** What the SMTP server answered when it took the mail. */
  response: Type.String(),
});
export type TestEmailResultDto = Static<typeof TestEmailResultDtoSchema>;

/** `POST /api/v1/peers/:id/email`: a share link made and mailed. */
export const SendPeerEmailBodySchema = Type.Object(
  {
    to: Type.Optional(AddressText("the recipient; default: the peer's contact address")),
    expiresInHours: Type.Optional(
      Type.Integer({ minimum: 1, maximum: SHARE_LINK_MAX_HOURS, description: "the link's lifetime" }),
    ),
  },
  { additionalProperties: false },
);
export type SendPeerEmailBody = Static<typeof SendPeerEmailBodySchema>;

/** The answer: where the mail went and the share link it holds (listed and revocable like any). */
export const SentPeerEmailDtoSchema = Type.Object({
  to: Type.String(),
  shareId: Type.String(),
  expiresAt: TimestampSchema,
});
export type SentPeerEmailDto = Static<typeof SentPeerEmailDtoSchema>;

/** A peer's contact address: where its link and warnings go. */
export const ContactEmailSchema = AddressText("where the peer's link and warnings are mailed");
