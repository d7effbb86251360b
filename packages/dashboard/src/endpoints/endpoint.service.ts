// Endpoints as an admin types them: checked and classified (core's endpoint-host warnings) while they
// type, and the hosts this server may be reached at, offered as the answer to the first-run question
// "where do clients connect?": the host the browser used to reach the dashboard, this machine's
// addresses, its name — those clients elsewhere can reach first.
import { hostname, networkInterfaces } from "node:os";
import {
  type Endpoint,
  type EndpointCheckBody,
  type EndpointCheckDto,
  type EndpointGuessesDto,
  endpointHostWarnings,
  formatEndpoint,
  isBareHost,
  parseInterfaceEndpoint,
  ValidationError,
} from "@wgfleet/core";

type Guess = EndpointGuessesDto["guesses"][number];

export interface EndpointServiceDeps {
  /** This machine's addresses (os.networkInterfaces by default). */
  addresses?: () => string[];
  hostname?: () => string;
}

export class EndpointService {
  constructor(private readonly deps: EndpointServiceDeps = {}) {}

  /** `POST /api/v1/endpoints/check`: a text that is no host or host:port comes back with `problem`. */
  check(body: EndpointCheckBody): EndpointCheckDto {
    const text = body.endpoint.trim();
    const port = isBareHost(text) ? (body.listenPort ?? null) : undefined;
    let parsed: Endpoint;
    try {
      parsed = parseInterfaceEndpoint(text, body.listenPort ?? 1, "endpoint");
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { host: null, port: null, endpoint: null, warnings: [], problem: error.message };
    }
    const known = port === undefined ? parsed.port : port;
    return {
      host: parsed.host,
      port: known,
      endpoint: known === null ? null : formatEndpoint({ host: parsed.host, port: known }),
      warnings: endpointHostWarnings(parsed.host),
      problem: null,
    };
  }

  /** `GET /api/v1/endpoints/guesses`; `requestHost` is the Host the browser sent (port stripped). */
  guesses(requestHost: string | undefined): EndpointGuessesDto {
    const candidates: Array<Pick<Guess, "host" | "source">> = [];
    if (requestHost) candidates.push({ host: requestHost, source: "request" });
    for (const host of (this.deps.addresses ?? machineAddresses)())
      candidates.push({ host, source: "address" });
    candidates.push({ host: (this.deps.hostname ?? hostname)(), source: "hostname" });
    const seen = new Set<string>();
    const guesses: Guess[] = [];
    for (const candidate of candidates) {
      const host = candidate.host.replace(/^\[(.*)\]$/, "$1");
      if (!host || seen.has(host.toLowerCase())) continue;
      seen.add(host.toLowerCase());
      guesses.push({ host, source: candidate.source, warnings: endpointHostWarnings(host) });
    }
    // Reachable ones first; otherwise the order above (a stable sort keeps it).
    return { guesses: guesses.sort((a, b) => a.warnings.length - b.warnings.length) };
  }
}

function machineAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && !a.address.includes("%"))
    .map((a) => a.address);
}
