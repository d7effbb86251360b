// The one bus domain events go through. Publishers call publish() after their change committed;
// subscribers (the webhook queue; later e-mail warnings) are awaited in turn, so what they write (a
// queued delivery) is stored before the publisher's request answers. A subscriber's failure is logged
// and never reaches the publisher: a webhook problem must not fail a peer change.
import { randomUUID } from "node:crypto";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { Logger } from "../logging/logger.js";
import type { DomainEvent, NewDomainEvent } from "./domain-events.js";

export type DomainEventHandler = (event: DomainEvent) => Promise<void> | void;
/** A subscriber's way to take many events at once (one query for all, not one per event). */
export type DomainEventBatchHandler = (events: DomainEvent[]) => Promise<void> | void;

/** What publishers need (consumers declare this, never the whole bus). */
export interface DomainEventPublisher {
  publish(event: NewDomainEvent): Promise<void>;
  /** Many events of one change (a bulk action's), in order; subscribers may take them in one go. */
  publishAll(events: readonly NewDomainEvent[]): Promise<void>;
}

interface Subscriber {
  name: string;
  handle: DomainEventHandler;
  handleMany?: DomainEventBatchHandler | undefined;
}

export class DomainEventBus implements DomainEventPublisher {
  private readonly handlers = new Set<Subscriber>();

  constructor(
    private readonly logger: Pick<Logger, "warn">,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Adds a subscriber; the returned function removes it. */
  subscribe(name: string, handle: DomainEventHandler, handleMany?: DomainEventBatchHandler): () => void {
    const entry = { name, handle, handleMany };
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }

  async publish(event: NewDomainEvent): Promise<void> {
    const stamped = this.stamp(event);
    for (const { name, handle } of this.handlers)
      await this.guarded(name, stamped.type, () => handle(stamped));
  }

  async publishAll(events: readonly NewDomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const stamped = events.map((event) => this.stamp(event));
    for (const { name, handle, handleMany } of this.handlers) {
      if (handleMany) await this.guarded(name, stamped[0]?.type ?? "", () => handleMany(stamped));
      else for (const event of stamped) await this.guarded(name, event.type, () => handle(event));
    }
  }

  private stamp(event: NewDomainEvent): DomainEvent {
    return { ...event, id: randomUUID(), occurredAt: nowIso(this.clock.now()) } as DomainEvent;
  }

  private async guarded(name: string, type: string, run: () => Promise<void> | void): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.warn(
        { subscriber: name, event: type, err: { message: (error as Error).message } },
        "a domain event subscriber failed",
      );
    }
  }
}
