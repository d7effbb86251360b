// Sends one mail through the configured SMTP server with nodemailer. Every failure becomes an
// SmtpError whose message names the server and quotes its answer (or why it could not be reached),
// with the SMTP password cut out in case a server echoes it: the message goes to the API and the log.

import type { EmailSecurity } from "@wgfleet/core";
import { SmtpError } from "@wgfleet/core";

/** Settings as the mailer needs them, the password in clear (only in memory, only for this call). */
export interface SmtpSettings {
  host: string;
  port: number;
  security: EmailSecurity;
  user: string | null;
  password: string | null;
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface SentMail {
  /** The server's answer to the message ("250 OK: queued as …"). */
  response: string;
}

export type SendMail = (settings: SmtpSettings, message: MailMessage) => Promise<SentMail>;

/** Whole-exchange limits, so a silent server cannot hold a request or the worker for long. */
const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;

export const sendMail: SendMail = async (settings, message) => {
  // Loaded at the first mail, not at start: most processes never send one (about 1 MB of heap).
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? "" } } : {}),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    return { response: String(info.response ?? "") };
  } catch (error) {
    throw new SmtpError(describeFailure(settings, error as SmtpFailure));
  } finally {
    transport.close();
  }
};

interface SmtpFailure extends Error {
  code?: string;
  response?: string;
  responseCode?: number;
}

function describeFailure(settings: SmtpSettings, error: SmtpFailure): string {
  const server = `${settings.host}:${settings.port}`;
  const answer = error.response
    ? `it answered "${error.response.trim()}"`
    : `${error.code ? `${error.code}: ` : ""}${error.message}`;
  const what =
    error.code === "EAUTH"
      ? "refused the login"
      : error.response
        ? "refused the mail"
        : "could not be reached";
  return scrub(`the SMTP server ${server} ${what}: ${answer}`, settings.password);
}

function scrub(text: string, secret: string | null): string {
  const once = secret ? text.split(secret).join("[redacted]") : text;
  return once.slice(0, 500);
}
