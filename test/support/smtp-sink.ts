// A real SMTP server on 127.0.0.1 (an ephemeral port, plain SMTP without STARTTLS) that keeps every
// mail it accepts: envelope, raw message, subject and the decoded text body. It can ask for a login
// (`requireAuth`: other credentials get "535 Authentication failed"), and stop() / start() take it down
// and bring it back on the same port, for the "server down" cases. close() ends it for good.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** The body, quoted-printable and base64 decoded. */
  text: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** When set, only these credentials may log in, and a mail needs a login. */
  requireAuth: { user: string; pass: string } | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = { host: "127.0.0.1", port: 0, received: [] as ReceivedMail[], requireAuth: null } as SmtpSink;
  let server: SMTPServer | null = null;

  const make = () =>
    new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authOptional: true,
      logger: false,
      onAuth(auth, _session, callback) {
        const wanted = sink.requireAuth;
        if (wanted && auth.username === wanted.user && auth.password === wanted.pass)
          return callback(null, { user: auth.username });
        const refused = new Error("Authentication failed") as Error & { responseCode: number };
        refused.responseCode = 535;
        return callback(refused);
      },
      onMailFrom(_address, session, callback) {
        if (sink.requireAuth && !session.user) {
          const refused = new Error("Authentication required") as Error & { responseCode: number };
          refused.responseCode = 530;
          return callback(refused);
        }
        return callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          sink.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            ...parseMessage(raw),
          });
          callback();
        });
      },
    });

  sink.start = async () => {
    const next = make();
    await new Promise<void>((resolve, reject) => {
      next.once("error", reject);
      next.listen(sink.port, sink.host, () => resolve());
    });
    next.on("error", () => undefined);
    server = next;
    sink.port = (next.server.address() as AddressInfo).port;
  };
  sink.stop = async () => {
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  sink.close = sink.stop;
  await sink.start();
  return sink;
}

/** The subject and the text body of a single-part message as nodemailer writes one. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQuotedPrintable(body)
      : encoding === "base64"
        ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
        : body;
  return { subject: decodeWords(header("Subject")), text: text.replace(/\r\n/g, "\n") };
}

function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i] as string, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** RFC 2047 encoded words ("=?UTF-8?Q?…?=" / "=?UTF-8?B?…?="). */
function decodeWords(text: string): string {
  return text.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_match, kind: string, data: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(data, "base64").toString("utf8")
      : decodeQuotedPrintable(data.replace(/_/g, " ")),
  );
}
