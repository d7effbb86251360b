// The one bus domain events go through. Publishers call publish() after their change committed;
// subscribers (the webhook queue; later e-mail warnings) are awaited in turn, so what they write (a
// queued delivery) is stored before the publisher's request answers. A subscriber's failure is logged
// and never reaches the publisher: a webhook problem must not fail a peer change.
import { randomUUID } from "node:crypto";
import { type Clock, nowIso, systemClock } from "../clock.js";
import type { Logger } from "../logging/logger.js";
import type { DomainEvent, NewDomainEvent } from "./domain-events.js";

export type DomainEventHandler = (event: DomainEvent) => Promise<void> | void;

/** What publishers need (consumers declare this, never the whole bus). */
export interface DomainEventPublisher {
  publish(event: NewDomainEvent): Promise<void>;
}

export class DomainEventBus implements DomainEventPublisher {
  private readonly handlers = new Set<{ name: string; handle: DomainEventHandler }>();

  constructor(
    private readonly logger: Pick<Logger, "warn">,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Adds a subscriber; the returned function removes it. */
  subscribe(name: string, handle: DomainEventHandler): () => void {
    const entry = { name, handle };
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }

  async publish(event: NewDomainEvent): Promise<void> {
    const stamped = { ...event, id: randomUUID(), occurredAt: nowIso(this.clock.now()) } as DomainEvent;
    for (const { name, handle } of this.handlers) {
      try {
        await handle(stamped);
      } catch (error) {
        this.logger.warn(
          { subscriber: name, event: stamped.type, err: { message: (error as Error).message } },
          "a domain event subscriber failed",
        );
      }
    }
  }
}
