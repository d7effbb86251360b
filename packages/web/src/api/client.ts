// The one module that talks to the dashboard: JSON over fetch with the session cookie, the CSRF token
// on every write, and the API's error body turned into an ApiError that names its field. Routes come
// only from contract.ts. It never stores a password or a key: the CSRF token lives in memory.
import { type Endpoint, endpoints, fillPath } from "./contract.js";
import type {
  ConfigurationInput,
  ErrorBody,
  InterfaceInput,
  NodeInput,
  NodeTestResult,
  PeerInput,
  PeerQuery,
  PeerUpdate,
  Role,
  TrafficQuery,
} from "./types.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field the error is about ("name", "addresses", "peers[3].allowedIps[0]"). */
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Params = Record<string, string>;
type Query = Record<string, string | number | boolean | undefined>;

interface CallOptions {
  params?: Params;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;
let onPasswordChangeRequired: (() => void) | null = null;

/** The session's CSRF token, sent as `x-csrf-token` on writes. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request (other than signing in) answers 401: the session ended. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** Called when a request answers 403 PASSWORD_CHANGE_REQUIRED: the user must choose a password first. */
export function setPasswordChangeRequiredHandler(handler: (() => void) | null): void {
  onPasswordChangeRequired = handler;
}

/** The URL of a route, for links the browser follows itself (downloads, images). */
export function urlOf(endpoint: Endpoint, params: Params = {}, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return fillPath(endpoint.path, params) + (text ? `?${text}` : "");
}

function isWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = null;
  }
  const error = body?.error;
  if (error && typeof error.message === "string") {
    return new ApiError(response.status, error.code ?? "ERROR", error.message, error.field);
  }
  return new ApiError(response.status, "HTTP", `${response.status} ${response.statusText || "error"}`);
}

async function send(endpoint: Endpoint, options: CallOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (isWrite(endpoint.method) && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(urlOf(endpoint, options.params, options.query), {
      method: endpoint.method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "the dashboard cannot be reached");
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && endpoint !== endpoints.login) onUnauthorized?.();
    if (error.code === "PASSWORD_CHANGE_REQUIRED") onPasswordChangeRequired?.();
    throw error;
  }
  return response;
}

/** Calls a JSON route; 204 answers resolve to null. */
export async function call<R>(endpoint: Endpoint<R>, options: CallOptions = {}): Promise<R> {
  const response = await send(endpoint, options, "application/json");
  if (response.status === 204) return null as R;
  return (await response.json()) as R;
}

/** Calls a route that answers with text (a client config, an SVG). */
export async function callText(endpoint: Endpoint, options: CallOptions = {}): Promise<string> {
  const response = await send(endpoint, options, "*/*");
  return response.text();
}

const byId = (id: string) => ({ id });
const byName = (name: string) => ({ name });

/** The API, one function per route the app uses. */
export const api = {
  login: (username: string, password: string) => call(endpoints.login, { body: { username, password } }),
  currentSession: () => call(endpoints.currentSession),
  logout: () => call(endpoints.logout),
  changeOwnPassword: (currentPassword: string, newPassword: string) =>
    call(endpoints.changeOwnPassword, { body: { currentPassword, newPassword } }),

  listUsers: () => call(endpoints.listUsers),
  createUser: (body: { username: string; password: string; role: Role; mustChangePassword?: boolean }) =>
    call(endpoints.createUser, { body }),
  updateUser: (id: string, body: { role?: Role; password?: string; mustChangePassword?: boolean }) =>
    call(endpoints.updateUser, { params: byId(id), body }),
  deleteUser: (id: string) => call(endpoints.deleteUser, { params: byId(id) }),

  listApiKeys: () => call(endpoints.listApiKeys),
  createApiKey: (name: string) => call(endpoints.createApiKey, { body: { name } }),
  revokeApiKey: (id: string) => call(endpoints.revokeApiKey, { params: byId(id) }),

  listNodes: async () => (await call(endpoints.listNodes)).items,
  getNode: (id: string) => call(endpoints.getNode, { params: byId(id) }),
  enabledNodes: (signal?: AbortSignal) => call(endpoints.enabledNodes, { signal }),
  createNode: (body: NodeInput) => call(endpoints.createNode, { body }),
  updateNode: (id: string, body: Partial<NodeInput>) =>
    call(endpoints.updateNode, { params: byId(id), body }),
  deleteNode: (id: string, force = false) =>
    call(endpoints.deleteNode, { params: byId(id), query: force ? { force: true } : {} }),
  testNode: (id: string) => call(endpoints.testNode, { params: byId(id) }) as Promise<NodeTestResult>,

  listConfigurations: async () => (await call(endpoints.listConfigurations)).items,
  getConfiguration: (name: string) => call(endpoints.getConfiguration, { params: byName(name) }),
  createConfiguration: (body: ConfigurationInput) => call(endpoints.createConfiguration, { body }),
  updateConfiguration: (name: string, body: Partial<ConfigurationInput>) =>
    call(endpoints.updateConfiguration, { params: byName(name), body }),
  deleteConfiguration: (name: string, force = false) =>
    call(endpoints.deleteConfiguration, { params: byName(name), query: force ? { force: true } : {} }),
  removeInterface: (name: string, nodeId: string, force = false) =>
    call(endpoints.removeInterface, { params: { name, nodeId }, query: force ? { force: true } : {} }),
  addInterface: (name: string, body: InterfaceInput) =>
    call(endpoints.addInterface, { params: byName(name), body }),
  placement: (name: string, signal?: AbortSignal) =>
    call(endpoints.placement, { params: byName(name), signal }),
  listPeers: (name: string, query: PeerQuery, signal?: AbortSignal) =>
    call(endpoints.listPeers, { params: byName(name), query: { ...query }, signal }),
  createPeer: (name: string, body: PeerInput) => call(endpoints.createPeer, { params: byName(name), body }),

  getPeer: (id: string, signal?: AbortSignal) => call(endpoints.getPeer, { params: byId(id), signal }),
  updatePeer: (id: string, body: PeerUpdate) => call(endpoints.updatePeer, { params: byId(id), body }),
  deletePeer: (id: string) => call(endpoints.deletePeer, { params: byId(id) }),
  disablePeer: (id: string) => call(endpoints.disablePeer, { params: byId(id) }),
  enablePeer: (id: string) => call(endpoints.enablePeer, { params: byId(id) }),
  peerConfigText: (id: string) => callText(endpoints.peerConfig, { params: byId(id) }),
  peerConfigUrl: (id: string) => urlOf(endpoints.peerConfig, byId(id)),
  peerQrUrl: (id: string) => urlOf(endpoints.peerQr, byId(id)),

  traffic: (query: TrafficQuery = {}, signal?: AbortSignal) =>
    call(endpoints.traffic, { query: { ...query }, signal }),
};
