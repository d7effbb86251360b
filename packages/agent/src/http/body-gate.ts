// Bounds how many bodies larger than a peer's may be in flight at once. Such a body is buffered until
// its signature can be checked at the end, so without a bound a caller who knows a key id (but not the
// secret) could make the agent hold many of them. A request over the bound is answered 503 at once.
import { WgFleetError } from "@wgfleet/core";

export class TooManyLargeBodiesError extends WgFleetError {
  constructor(limit: number) {
    super(
      "NODE_UNAVAILABLE",
      `busy: ${limit} large request bodies are already being received; retry shortly`,
    );
  }
}

export class LargeBodyGate {
  private inFlight = 0;

  constructor(readonly limit: number) {}

  /** Takes a slot (throws TooManyLargeBodiesError when none is free); call the answer to give it back. */
  enter(): () => void {
    if (this.inFlight >= this.limit) throw new TooManyLargeBodiesError(this.limit);
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
    };
  }
}
