// The dashboard's HTTP API as the fleet tests and the demo call it: a small fetch wrapper that sends the
// API key and returns status + JSON, and an error that says which call failed and why (the API's error
// body). The key goes into the Authorization header only, never into a message.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiAnswer<T = any> {
  status: number;
  /** The parsed JSON body; null when the body is empty or not JSON. */
  json: T;
  /** The raw body. */
  text: string;
  headers: Headers;
}

/** The API's error body, `{"error": {code, message, field?}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** A call that did not answer what was expected: method, path, status and the API's error, if any. */
export class FleetApiError extends Error {
  constructor(
    readonly method: HttpMethod,
    readonly path: string,
    readonly status: number,
    readonly body: ApiErrorBody | null,
    text: string,
  ) {
    const reason = body?.error
      ? `${body.error.code}${body.error.field ? ` (${body.error.field})` : ""}: ${body.error.message}`
      : text.slice(0, 200) || "empty body";
    super(`${method} ${path} answered ${status}: ${reason}`);
    this.name = "FleetApiError";
  }
}

export class FleetApi {
  constructor(
    /** "http://127.0.0.1:10086" */
    readonly baseUrl: string,
    private readonly token: string | null,
    private readonly timeoutMs = 60_000,
  ) {}

  /** The same API without credentials (to check what anonymous callers get). */
  anonymous(): FleetApi {
    return new FleetApi(this.baseUrl, null, this.timeoutMs);
  }

  get<T = any>(path: string): Promise<ApiAnswer<T>> {
    return this.request<T>("GET", path);
  }

  post<T = any>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>("POST", path, body);
  }

  put<T = any>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>("PUT", path, body);
  }

  patch<T = any>(path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return this.request<T>("PATCH", path, body);
  }

  delete<T = any>(path: string): Promise<ApiAnswer<T>> {
    return this.request<T>("DELETE", path);
  }

  /** The call, and a FleetApiError unless the status is one of `expected` (default: any 2xx). */
  async expect<T = any>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    expected: readonly number[] = [],
  ): Promise<ApiAnswer<T>> {
    const answer = await this.request<T>(method, path, body);
    const ok =
      expected.length > 0 ? expected.includes(answer.status) : answer.status >= 200 && answer.status < 300;
    if (!ok) throw new FleetApiError(method, path, answer.status, asErrorBody(answer.json), answer.text);
    return answer;
  }

  /** A POST whose body is text of the given type (a CSV import), not JSON. */
  async postText<T = any>(path: string, contentType: string, text: string): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { "content-type": contentType };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(new URL(path, this.baseUrl), {
      method: "POST",
      headers,
      body: text,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const answer = await response.text();
    return { status: response.status, json: parseJson(answer) as T, text: answer, headers: response.headers };
  }

  async request<T = any>(method: HttpMethod, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, json: parseJson(text) as T, text, headers: response.headers };
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function asErrorBody(value: unknown): ApiErrorBody | null {
  const error = (value as { error?: unknown } | null)?.error;
  if (typeof error !== "object" || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && typeof message === "string" ? (value as ApiErrorBody) : null;
}
