// The HTML of the public share pages, rendered on the server: no script, no web-app bundle, nothing
// loaded from anywhere (a Content-Security-Policy that allows only this file's own stylesheet, by
// hash). Every value that came from a person (the peer's name) is escaped; the QR code is SVG the
// qrcode library drew from the config. Also the headers every public share answer carries.
import { createHash } from "node:crypto";
import type { FastifyReply } from "fastify";
import type { GoneReason } from "../../../shares/share-link.service.js";

const STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #f6f7f9; --card: #fff; --muted: #5b6470; --accent: #2357c6; --line: #d9dde3; }
@media (prefers-color-scheme: dark) { :root { --fg: #e7eaee; --bg: #111418; --card: #1a1f25; --muted: #9aa4b1; --accent: #7aa5ff; --line: #2c333c; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1.25rem; margin-top: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.muted { color: var(--muted); }
.qr { display: block; width: min(100%, 20rem); margin: 0.5rem auto; background: #fff; border-radius: 8px; }
.qr svg { display: block; width: 100%; height: auto; }
.button { display: inline-block; padding: 0.6rem 1.1rem; border-radius: 8px; background: var(--accent); color: #fff; text-decoration: none; font-weight: 600; margin: 0.25rem 0.5rem 0.25rem 0; }
.button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
dt { font-weight: 600; margin-top: 0.6rem; }
dd { margin: 0.1rem 0 0; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
`;

const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/** Nothing but this page's own stylesheet; no scripts, images, frames, forms or base changes. */
export const SHARE_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers of every public share answer: pages, files, errors. */
export function publicShareHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-store")
    .header("x-robots-tag", "noindex, nofollow")
    .header("x-frame-options", "DENY")
    .header("content-security-policy", SHARE_PAGE_CSP);
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

const INSTRUCTIONS = `<section class="card" aria-labelledby="how">
<h2 id="how">How to use it</h2>
<dl>
<dt>Android, iPhone and iPad</dt>
<dd>Install the WireGuard app, tap <strong>+</strong>, choose <em>Scan from QR code</em> and scan the code (or import the downloaded file).</dd>
<dt>Windows and macOS</dt>
<dd>Install WireGuard from wireguard.com, choose <em>Import tunnel(s) from file</em>, pick the downloaded file and press <em>Activate</em>.</dd>
<dt>Linux</dt>
<dd>Save the file as <code>/etc/wireguard/NAME.conf</code> (readable by root only) and run <code>sudo wg-quick up NAME</code>, or import it in NetworkManager.</dd>
</dl>
<p class="muted">The file holds this device's private key: keep it to yourself and do not forward this link.</p>
</section>`;

export interface SharePageInput {
  peerName: string;
  expiresAt: string;
  /** The config as a QR code; absent on a one-time link's page, where showing it would spend the link. */
  qrSvg?: string;
  /** Relative links from the page (`/s/TOKEN`): the file and, for one-time links, the QR page. */
  configHref: string;
  qrHref: string;
}

export function renderSharePage(input: SharePageInput): string {
  const name = escapeHtml(input.peerName);
  const expires = escapeHtml(new Date(input.expiresAt).toUTCString());
  const qr = input.qrSvg
    ? `<div class="qr" role="img" aria-label="QR code of the WireGuard config">${input.qrSvg}</div>`
    : `<p>This link works <strong>once</strong>: downloading the file or showing the QR code uses it up.</p>
<a class="button secondary" href="${escapeHtml(input.qrHref)}" rel="nofollow">Show the QR code</a>`;
  return page(
    `WireGuard config: ${input.peerName}`,
    `<h1>${name}</h1>
<p class="muted">A WireGuard VPN config. This link works until ${expires}.</p>
<section class="card" aria-label="Config">
${qr}
<a class="button" href="${escapeHtml(input.configHref)}" download rel="nofollow">Download the config file</a>
</section>
${INSTRUCTIONS}`,
  );
}

/** A one-time link's QR code, shown once (the request that rendered it spent the link). */
export function renderQrPage(input: { peerName: string; qrSvg: string }): string {
  return page(
    `WireGuard config: ${input.peerName}`,
    `<h1>${escapeHtml(input.peerName)}</h1>
<p>Scan this code with the WireGuard app now: this link has been used and will not show it again.</p>
<section class="card" aria-label="Config">
<div class="qr" role="img" aria-label="QR code of the WireGuard config">${input.qrSvg}</div>
</section>`,
  );
}

const GONE_TEXT: Record<GoneReason, string> = {
  spent: "It could be used once, and it has been used.",
  expired: "It has expired.",
  revoked: "It has been revoked.",
};

export function renderGonePage(reason: GoneReason): string {
  return page(
    "This link no longer works",
    `<h1>This link no longer works</h1>
<p>${GONE_TEXT[reason]}</p>
<p class="muted">Ask whoever sent it to you for a new link.</p>`,
  );
}

export function renderUnknownPage(): string {
  return page(
    "No such link",
    `<h1>No such link</h1>
<p>This address does not lead to a config. Check that you copied the whole link.</p>`,
  );
}

export function renderRateLimitedPage(retryAfterSeconds: number): string {
  return page(
    "Too many requests",
    `<h1>Too many requests</h1>
<p>Too many requests came from your address. Try again in ${retryAfterSeconds} seconds.</p>`,
  );
}
