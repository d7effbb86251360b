// What admin commands accept where the API takes an id: a node's id or name, a peer's id or its name in
// a configuration, a configuration's name (or none when there is only one).
import { NotFoundError, type PeerDto } from "@wgfleet/core";
import type { AppContext } from "../http/context.js";
import { UsageError } from "./io.js";

type Services = AppContext["services"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "auto" and "local" pass through (the API's words); anything else is a node id or name. */
export async function resolveNodeRef(services: Services, ref: string): Promise<string> {
  if (ref === "auto" || ref === "local") return ref;
  const nodes = await services.nodes.list();
  const found = nodes.find((node) => node.id === ref) ?? nodes.find((node) => node.name === ref);
  if (!found) throw new NotFoundError(`node ${ref}`);
  return found.id;
}

/** --configuration NAME, or the only configuration there is. */
export async function resolveConfigurationName(
  services: Services,
  name: string | undefined,
): Promise<string> {
  if (name !== undefined) return name;
  const all = await services.configurations.list();
  if (all.length === 1 && all[0]) return all[0].name;
  if (all.length === 0)
    throw new UsageError("there is no configuration yet; create one first (web app or API)");
  throw new UsageError(
    `--configuration is required: there are ${all.length} configurations (${all.map((c) => c.name).join(", ")})`,
  );
}

/** Every peer of the configuration (or of all of them), page by page as the API hands them out. */
export async function listPeers(
  services: Services,
  configuration: string | undefined,
  filter: { node?: string; search?: string } = {},
): Promise<PeerDto[]> {
  const names =
    configuration !== undefined ? [configuration] : (await services.configurations.list()).map((c) => c.name);
  const peers: PeerDto[] = [];
  for (const name of names) {
    let cursor: string | undefined;
    do {
      const page = await services.peerQueries.list(name, {
        ...filter,
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      peers.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return peers;
}

/** A peer by id, or by its exact name (within --configuration when given); refuses an ambiguous name. */
export async function resolvePeer(
  services: Services,
  ref: string,
  configuration: string | undefined,
): Promise<PeerDto> {
  const byId = UUID.test(ref)
    ? await services.peers.get(ref).catch((error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      })
    : null;
  if (byId && (configuration === undefined || byId.configuration === configuration)) return byId;
  const named = (await listPeers(services, configuration, { search: ref })).filter((p) => p.name === ref);
  if (named.length === 1 && named[0]) return named[0];
  if (named.length > 1) {
    throw new UsageError(
      `${named.length} peers are named "${ref}" (in ${[...new Set(named.map((p) => p.configuration))].join(", ")}); give its id or --configuration`,
    );
  }
  throw new NotFoundError(`peer ${ref}`);
}
