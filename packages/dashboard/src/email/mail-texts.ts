// The mails the dashboard writes, as plain text. A peer's mail carries its share link, never its
// config or a key: whoever opens the link downloads the config from the dashboard, which can still
// refuse (revoked, expired, spent).
import type { MailMessage } from "./smtp-mailer.js";

export function testMail(to: string): MailMessage {
  return {
    to,
    subject: "wgfleet: test mail",
    text: "This is a test mail from your wgfleet dashboard. Its SMTP settings work.\n",
  };
}

export function shareLinkMail(to: string, peerName: string, url: string, expiresAt: string): MailMessage {
  return {
    to,
    subject: `Your WireGuard access: ${peerName}`,
    text: [
      `Your WireGuard configuration "${peerName}" is ready.`,
      "",
      "Open this link to download it or scan its QR code with the WireGuard app:",
      url,
      "",
      `The link works until ${expiresAt}. Keep it to yourself: anyone with the link can download the`,
      "configuration while it works.",
      "",
    ].join("\n"),
  };
}

export type WarningKind = "expiry_7d" | "expiry_1d" | "quota_80";

export function warningMail(
  kind: WarningKind,
  to: string,
  peer: { name: string; expiresAt?: string | null },
): MailMessage {
  if (kind === "quota_80") {
    return {
      to,
      subject: `WireGuard access "${peer.name}": 80 % of its traffic quota used`,
      text: `Your WireGuard access "${peer.name}" has used 80 % of its traffic quota for this period.\nWhen the quota is used up, the access may be cut off until the next period. Ask your administrator if you need more.\n`,
    };
  }
  const when = kind === "expiry_7d" ? "in 7 days or less" : "within a day";
  return {
    to,
    subject: `WireGuard access "${peer.name}" expires ${when}`,
    text: `Your WireGuard access "${peer.name}" expires at ${peer.expiresAt} (UTC).\nAsk your administrator to renew it if you still need it.\n`,
  };
}
