// Where `auto` would put a new peer of a configuration now, and why not elsewhere: the creation's own
// steps (the configuration's interfaces, their nodes' transports, the InterfaceSelector) up to the
// choice, then core's explanation of it. Reads only; never allocates or locks.
import { NotFoundError, type PlacementDto } from "@wgfleet/core";
import type { ConfigurationRepository } from "../configurations/configuration.repository.js";
import type { InterfaceRepository } from "../interfaces/interface.repository.js";
import type { InterfaceSelector } from "../nodes/node-selector.js";
import { notPlaced, toPlacementDto } from "./placement.mapper.js";

export interface PlacementServiceDeps {
  configurations: ConfigurationRepository;
  interfaces: InterfaceRepository;
  selector: InterfaceSelector;
  /** Registers transports of nodes another dashboard replica added (RemoteNodes.ensure). */
  ensureTransports?: (nodeIds: Iterable<string>) => Promise<void>;
}

export class PlacementService {
  constructor(private readonly deps: PlacementServiceDeps) {}

  /** NotFoundError for an unknown configuration; otherwise always an answer, `node` null when none fits. */
  async explain(configurationName: string): Promise<PlacementDto> {
    const configuration = await this.deps.configurations.findByName(configurationName);
    if (!configuration) throw new NotFoundError(`configuration ${configurationName}`);
    const candidates = await this.deps.interfaces.listByConfiguration(configuration.id);
    // The creation's 409 in the same words.
    if (candidates.length === 0)
      return notPlaced(`configuration ${configuration.name} is not on any node yet`);
    await this.deps.ensureTransports?.(candidates.map((c) => c.node_id));
    return toPlacementDto(await this.deps.selector.explain(candidates));
  }
}
