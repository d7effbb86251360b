// The dashboard's URL as `join --dashboard` and a dialling-out agent's `--dashboard` take it: HTTPS, or
// HTTP to this machine only — a join token, a new secret and (over a dial-out link) interface private
// keys travel on it. `allowHttp` is the hidden `--dashboard-allow-http` of the test fleets, whose
// dashboard is reached over a private test underlay.
import { isIP } from "node:net";
import { UsageError } from "./usage-error.js";

export function dashboardUrl(text: string, allowHttp = false): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--dashboard must be a URL like https://wgfleet.example.com, not "${text}"`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError("--dashboard must not hold a user name, password, query or fragment");
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && (allowHttp || isLoopback(url.hostname))) return url;
  throw new UsageError(
    "--dashboard must be https:// (http:// only to a loopback address): secrets and keys travel on it",
  );
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}
