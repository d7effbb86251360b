// The one request interface AgentClient sends through: a signed request goes in, the status and the
// body text of the answer come out. Two carriers implement it: KeepAliveAgentHttp (node:http/https,
// keep-alive sockets per node; the default) and the dashboard's dial-out connections (a request frame
// over the agent's own WebSocket). Whatever carries it keeps the same contract: the answer is read up to
// `maxAnswerBytes` at most, a request still unanswered after `timeoutMs` fails with
// AgentHttpTimeoutError, and a connection that cannot be made fails with the carrier's own error
// (node's errors carry a `code`, ECONNREFUSED, ENOTFOUND, ...), which AgentClient wraps in
// AgentUnreachableError.

export interface AgentHttpRequest {
  method: string;
  url: URL;
  /** Sent as given (the signature headers among them); the carrier adds only what HTTP itself needs. */
  headers: Record<string, string>;
  /** undefined: no body. */
  body?: string;
  timeoutMs: number;
  maxAnswerBytes: number;
}

export interface AgentHttpAnswer {
  status: number;
  text: string;
}

export type AgentHttp = (request: AgentHttpRequest) => Promise<AgentHttpAnswer>;

/** The agent's answer was refused before it was used: too large, or a redirect. */
export class AgentAnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgentAnswerError";
  }
}

/** No answer within the request's timeout; the request was abandoned (its socket destroyed). */
export class AgentHttpTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = "AgentHttpTimeoutError";
  }
}

/** The refusal of an answer past the request's cap (declared or as it streamed in). */
export function answerTooLarge(request: AgentHttpRequest): AgentAnswerError {
  return new AgentAnswerError(
    `the agent's answer to ${request.method} ${request.url.pathname} is larger than ${request.maxAnswerBytes} bytes`,
  );
}
