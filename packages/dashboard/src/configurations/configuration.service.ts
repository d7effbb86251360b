// Rules for configurations: a named WireGuard network and the defaults its clients get. Creating or
// editing one touches no node (client-side settings only), except a new default schedule, which every
// interface's peers without their own schedule are held to by their node; deleting one takes its
// interfaces off their nodes first.
import { randomUUID } from "node:crypto";
import {
  ConflictError,
  type CreateConfigurationBody,
  checkAccessSchedule,
  checkCidrList,
  checkDnsList,
  checkTimeZone,
  type InterfaceDto,
  NotFoundError,
  type UpdateConfigurationBody,
} from "@wgfleet/core";
import { type AuditService, fieldChanges } from "../audit/index.js";
import { nowIso } from "../clock.js";
import { type Db, isUniqueViolation } from "../db/index.js";
import type { Logger } from "../logging/logger.js";
import type { CacheInvalidation } from "../replicas/cache-invalidation.js";
import { type ConfigurationView, toConfigurationView } from "./configuration.mapper.js";
import type {
  ConfigurationRepository,
  ConfigurationRow,
  ConfigurationUpdate,
} from "./configuration.repository.js";

export const DEFAULT_CLIENT_ALLOWED_IPS = ["0.0.0.0/0", "::/0"];

/** What configurations/ needs of the interfaces placed on nodes (interfaces/InterfaceService fits). */
export interface ConfigurationInterfaces {
  viewsOfConfiguration(configurationId: string): Promise<InterfaceDto[]>;
  /** Each interface off its node and out of the database; refuses one with peers unless forced. */
  deleteAllOfConfiguration(configurationId: string, force: boolean): Promise<void>;
  /** `write` with every interface's revision bumped, then each one's full state pushed; failures returned. */
  changeAllOfConfiguration(
    configurationId: string,
    write: (trx: Db) => Promise<void>,
  ): Promise<Array<{ nodeId: string; error: Error }>>;
}

export interface ConfigurationServiceDeps {
  configurations: ConfigurationRepository;
  interfaces: ConfigurationInterfaces;
  audit: Pick<AuditService, "record" | "recordEvent">;
  /** Told of every edit and deletion: the copies of the row (CachedConfigurations) are dropped. */
  invalidation: Pick<CacheInvalidation, "changed">;
  logger?: Logger;
}

export class ConfigurationService {
  constructor(private readonly deps: ConfigurationServiceDeps) {}

  async create(input: CreateConfigurationBody, actor: string): Promise<ConfigurationView> {
    const name = input.name;
    const settings = checkSettings(input);
    const now = nowIso();
    const row: ConfigurationRow = {
      id: randomUUID(),
      name,
      description: settings.description ?? "",
      dns: JSON.stringify(settings.dns ?? []),
      client_allowed_ips: JSON.stringify(settings.clientAllowedIps ?? DEFAULT_CLIENT_ALLOWED_IPS),
      mtu: settings.mtu ?? null,
      keepalive: settings.keepalive ?? null,
      time_zone: settings.timeZone ?? "UTC",
      default_schedule: settings.defaultSchedule ? JSON.stringify(settings.defaultSchedule) : null,
      created_at: now,
      updated_at: now,
    };
    if (await this.deps.configurations.findByName(name)) {
      throw new ConflictError(`configuration ${name} already exists`, "name");
    }
    try {
      await this.deps.configurations.insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`configuration ${name} already exists`, "name");
      throw error;
    }
    const view = toConfigurationView(row, []);
    await this.deps.audit.recordEvent(actor, {
      action: "configuration.create",
      target: name,
      changes: fieldChanges(null, auditedSettings(view)),
    });
    return view;
  }

  async list(): Promise<ConfigurationView[]> {
    const rows = await this.deps.configurations.list();
    return Promise.all(
      rows.map(async (row) =>
        toConfigurationView(row, await this.deps.interfaces.viewsOfConfiguration(row.id)),
      ),
    );
  }

  async get(name: string): Promise<ConfigurationView> {
    const row = await this.require(name);
    return toConfigurationView(row, await this.deps.interfaces.viewsOfConfiguration(row.id));
  }

  async update(name: string, input: UpdateConfigurationBody, actor: string): Promise<ConfigurationView> {
    const row = await this.require(name);
    const before = toConfigurationView(row, []);
    const settings = checkSettings(input);
    const changes: ConfigurationUpdate = { updated_at: nowIso() };
    if (settings.description !== undefined) changes.description = settings.description;
    if (settings.dns !== undefined) changes.dns = JSON.stringify(settings.dns);
    if (settings.clientAllowedIps !== undefined)
      changes.client_allowed_ips = JSON.stringify(settings.clientAllowedIps);
    if (settings.mtu !== undefined) changes.mtu = settings.mtu;
    if (settings.keepalive !== undefined) changes.keepalive = settings.keepalive;
    if (settings.timeZone !== undefined) changes.time_zone = settings.timeZone;
    const defaultSchedule =
      settings.defaultSchedule === undefined
        ? row.default_schedule
        : settings.defaultSchedule && JSON.stringify(settings.defaultSchedule);
    if (defaultSchedule === row.default_schedule) await this.deps.configurations.update(row.id, changes);
    else await this.changeDefaultSchedule(row, { ...changes, default_schedule: defaultSchedule });
    await this.deps.invalidation.changed("configuration", row.id);
    const after = await this.get(name);
    await this.deps.audit.recordEvent(actor, {
      action: "configuration.update",
      target: name,
      changes: fieldChanges(auditedSettings(before), auditedSettings(after)),
    });
    return after;
  }

  /** Peers without their own schedule follow the new default: every interface gets its new state. */
  private async changeDefaultSchedule(row: ConfigurationRow, changes: ConfigurationUpdate): Promise<void> {
    const failures = await this.deps.interfaces.changeAllOfConfiguration(row.id, (trx) =>
      this.deps.configurations.update(row.id, changes, trx),
    );
    for (const { nodeId, error } of failures) {
      this.deps.logger?.warn(
        { configuration: row.name, node: nodeId, err: { message: error.message } },
        "the new default schedule did not reach the node (the health poller pushes it again)",
      );
    }
  }

  /**
   * Refuses while the configuration has peers unless forced; takes every interface off its node (each
   * with everything under it), then the configuration.
   */
  async delete(name: string, force: boolean, actor: string): Promise<void> {
    const row = await this.require(name);
    await this.deps.interfaces.deleteAllOfConfiguration(row.id, force);
    await this.deps.configurations.delete(row.id);
    await this.deps.invalidation.changed("configuration", row.id);
    await this.deps.audit.recordEvent(actor, {
      action: "configuration.delete",
      target: name,
      changes: fieldChanges(auditedSettings(toConfigurationView(row, [])), null),
      details: { force },
    });
  }

  async require(name: string): Promise<ConfigurationRow> {
    const row = await this.deps.configurations.findByName(name);
    if (!row) throw new NotFoundError(`configuration ${name}`);
    return row;
  }
}

/** The settings with DNS entries and AllowedIPs checked for meaning and made canonical. */
function checkSettings(input: UpdateConfigurationBody): UpdateConfigurationBody {
  const settings: UpdateConfigurationBody = { ...input };
  if (input.dns !== undefined) settings.dns = checkDnsList(input.dns);
  if (input.clientAllowedIps !== undefined)
    settings.clientAllowedIps = checkCidrList(input.clientAllowedIps, "clientAllowedIps");
  if (input.timeZone !== undefined) settings.timeZone = checkTimeZone(input.timeZone, "timeZone");
  if (input.defaultSchedule)
    settings.defaultSchedule = checkAccessSchedule(input.defaultSchedule, "defaultSchedule");
  return settings;
}

/** The configuration's own settings, as the audit trail compares them (not its interfaces). */
function auditedSettings(view: ConfigurationView): Record<string, unknown> {
  const { interfaces, createdAt, updatedAt, ...settings } = view as ConfigurationView &
    Record<string, unknown>;
  return settings;
}
