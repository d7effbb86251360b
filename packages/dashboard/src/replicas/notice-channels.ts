// More than cache notices travel on a replica's one listening connection: other parts (the relay of
// requests for agents that dial out) listen on channels of their own through it, so a replica keeps
// one LISTEN connection whatever listens. Payloads stay small (ids): data goes in tables.

/** What listens on one channel. */
export interface NoticeListener {
  /** A notice on the channel, from any replica (this one's own too). */
  heard(payload: string): void;
  /** Listening again after the connection was lost: notices sent meanwhile reached nobody. */
  missed(): void;
}

export interface NoticeChannels {
  /** Also listens on `channel` (lower-case letters and `_`), from the next (re)connection on. */
  listenOn(channel: string, listener: NoticeListener): void;
}
