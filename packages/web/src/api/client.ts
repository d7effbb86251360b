// The one module that talks to the dashboard: JSON over fetch with the session cookie, the CSRF token
// on every write, and the API's error body turned into an ApiError that names its field. Routes come
// only from routes.ts, with request and answer types from @wgfleet/core's schemas. It never stores a
// password or a key: the CSRF token lives in memory.

import { type BodyOf, fillPath, type QueryOf, type ResponseOf, type RouteName, routes } from "./routes.js";
import type { ErrorBody } from "./types.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field the error is about ("name", "addresses", "peers[3].allowedIps[0]"). */
    readonly field?: string,
    /** The whole error body, for answers that say more than one message (a CSV import's rows). */
    readonly body: unknown = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Params = Record<string, string>;
type Query = Record<string, string | number | boolean | undefined>;

interface CallOptions<N extends RouteName> {
  params?: Params;
  query?: QueryOf<N>;
  body?: BodyOf<N>;
  /** A body that is a file, not JSON (a CSV import), with its content type. */
  file?: { text: string; type: string };
  signal?: AbortSignal;
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;
let onPasswordChangeRequired: (() => void) | null = null;
let onTotpEnrolmentRequired: (() => void) | null = null;

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

/** Called when a request answers 403 TOTP_ENROLMENT_REQUIRED: the user must set up two-factor sign-in. */
export function setTotpEnrolmentRequiredHandler(handler: (() => void) | null): void {
  onTotpEnrolmentRequired = handler;
}

/** The URL of a route, for links the browser follows itself (downloads, images). */
export function urlOf(name: RouteName, params: Params = {}, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return fillPath(routes[name].path, params) + (text ? `?${text}` : "");
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
    return new ApiError(response.status, error.code ?? "ERROR", error.message, error.field, body);
  }
  return new ApiError(response.status, "HTTP", `${response.status} ${response.statusText || "error"}`);
}

async function send<N extends RouteName>(
  name: N,
  options: CallOptions<N>,
  accept: string,
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const { method } = routes[name];
  const headers: Record<string, string> = { accept, ...extraHeaders };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  else if (options.file) headers["content-type"] = options.file.type;
  if (isWrite(method) && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(urlOf(name, options.params, options.query as Query | undefined), {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? options.file?.text : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "the dashboard cannot be reached");
  }
  if (!response.ok && response.status !== 304) {
    const error = await errorOf(response);
    if (response.status === 401 && name !== "login") onUnauthorized?.();
    if (error.code === "PASSWORD_CHANGE_REQUIRED") onPasswordChangeRequired?.();
    if (error.code === "TOTP_ENROLMENT_REQUIRED") onTotpEnrolmentRequired?.();
    throw error;
  }
  return response;
}

/**
 * The last answer of each recent GET with its ETag. The API answers `no-store`, so the browser keeps
 * nothing; the client sends the tag back itself (If-None-Match) and a 304 means "what you have": the
 * poll then costs a few hundred bytes instead of the page. The body is kept as text and parsed again,
 * so no caller ever shares (or changes) another's objects.
 */
const lastAnswers = new Map<string, { etag: string; body: string }>();
const LAST_ANSWERS_KEPT = 32;

function remember(url: string, etag: string, body: string): void {
  lastAnswers.delete(url);
  lastAnswers.set(url, { etag, body });
  if (lastAnswers.size > LAST_ANSWERS_KEPT) lastAnswers.delete(lastAnswers.keys().next().value as string);
}

/** Calls a JSON route; 204 answers resolve to null. GETs are conditional (see lastAnswers). */
export async function call<N extends RouteName>(
  name: N,
  options: CallOptions<N> = {},
): Promise<ResponseOf<N>> {
  const conditional = routes[name].method === "GET";
  const url = urlOf(name, options.params, options.query as Query | undefined);
  const last = conditional ? lastAnswers.get(url) : undefined;
  const response = await send(name, options, "application/json", last ? { "if-none-match": last.etag } : {});
  if (response.status === 204) return null as ResponseOf<N>;
  // Read even when empty: an unread 304 shows in the browser's network log as an aborted request.
  const body = await response.text();
  if (response.status === 304 && last) return JSON.parse(last.body) as ResponseOf<N>;
  const etag = response.headers.get("etag");
  if (conditional && etag) remember(url, etag, body);
  return JSON.parse(body) as ResponseOf<N>;
}

/** Forgets every kept answer (signing out: the next user starts clean). */
export function forgetAnswers(): void {
  lastAnswers.clear();
}

/** Calls a route that answers with text (a client config, an SVG). */
export async function callText(name: RouteName, options: CallOptions<RouteName> = {}): Promise<string> {
  const response = await send(name, options, "*/*");
  return response.text();
}

/** A file the API answered with, and the name its Content-Disposition gives it (null: none). */
export interface FileAnswer {
  blob: Blob;
  filename: string | null;
}

/** Calls a route that answers with a file (a zip). */
export async function callFile<N extends RouteName>(
  name: N,
  options: CallOptions<N> = {},
): Promise<FileAnswer> {
  const response = await send(name, options, "*/*");
  const disposition = response.headers.get("content-disposition") ?? "";
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), filename };
}

const byId = (id: string) => ({ id });
const byName = (name: string) => ({ name });

/** The API, one function per route the app uses. */
export const api = {
  login: (username: string, password: string, totp?: string) =>
    call("login", { body: { username, password, ...(totp !== undefined ? { totp } : {}) } }),
  currentSession: () => call("currentSession"),
  logout: () => call("logout"),
  signInMethods: () => call("signInMethods"),
  changeOwnPassword: (body: BodyOf<"changeOwnPassword">) => call("changeOwnPassword", { body }),

  twoFactorStatus: () => call("twoFactorStatus"),
  startTotpEnrolment: () => call("startTotpEnrolment"),
  confirmTotpEnrolment: (code: string) => call("confirmTotpEnrolment", { body: { code } }),
  disableOwnTotp: (currentPassword: string) => call("disableOwnTotp", { body: { currentPassword } }),
  resetUserTotp: (id: string) => call("resetUserTotp", { params: byId(id) }),
  twoFactorPolicy: () => call("twoFactorPolicy"),
  setTwoFactorPolicy: (requireForAdmins: boolean) =>
    call("setTwoFactorPolicy", { body: { requireForAdmins } }),

  listUsers: () => call("listUsers"),
  createUser: (body: BodyOf<"createUser">) => call("createUser", { body }),
  updateUser: (id: string, body: BodyOf<"updateUser">) => call("updateUser", { params: byId(id), body }),
  deleteUser: (id: string) => call("deleteUser", { params: byId(id) }),

  listAlerts: (query: QueryOf<"listAlerts"> = {}) => call("listAlerts", { query }),
  alertSettings: () => call("alertSettings"),
  setAlertSettings: (body: BodyOf<"setAlertSettings">) => call("setAlertSettings", { body }),

  listWebhooks: async () => (await call("listWebhooks")).items,
  createWebhook: (body: BodyOf<"createWebhook">) => call("createWebhook", { body }),
  updateWebhook: (id: string, body: BodyOf<"updateWebhook">) =>
    call("updateWebhook", { params: byId(id), body }),
  deleteWebhook: (id: string) => call("deleteWebhook", { params: byId(id) }),
  testWebhook: (id: string) => call("testWebhook", { params: byId(id) }),
  webhookDeliveries: async (id: string, query: QueryOf<"webhookDeliveries"> = {}) =>
    (await call("webhookDeliveries", { params: byId(id), query })).items,

  listApiKeys: () => call("listApiKeys"),
  createApiKey: (body: BodyOf<"createApiKey">) => call("createApiKey", { body }),
  revokeApiKey: (id: string) => call("revokeApiKey", { params: byId(id) }),

  createShareLink: (peerId: string, body: BodyOf<"createShareLink">) =>
    call("createShareLink", { params: byId(peerId), body }),
  listShareLinks: async (peerId: string) => (await call("listShareLinks", { params: byId(peerId) })).items,
  revokeShareLink: (id: string) => call("revokeShareLink", { params: byId(id) }),
  emailPeer: (peerId: string, body: BodyOf<"emailPeer">) => call("emailPeer", { params: byId(peerId), body }),
  emailSettings: () => call("emailSettings"),
  updateEmailSettings: (body: BodyOf<"updateEmailSettings">) => call("updateEmailSettings", { body }),
  testEmail: (body: BodyOf<"testEmail">) => call("testEmail", { body }),
  movePeer: (peerId: string, body: BodyOf<"movePeer">) => call("movePeer", { params: byId(peerId), body }),
  drainNode: (nodeId: string, body: BodyOf<"drainNode">) => call("drainNode", { params: byId(nodeId), body }),
  getJob: (id: string) => call("getJob", { params: byId(id) }),

  listJoinTokens: async () => (await call("listJoinTokens")).items,
  createJoinToken: (body: BodyOf<"createJoinToken">) => call("createJoinToken", { body }),
  revokeJoinToken: (id: string) => call("revokeJoinToken", { params: byId(id) }),

  listNodes: async () => (await call("listNodes")).items,
  getNode: (id: string) => call("getNode", { params: byId(id) }),
  enabledNodes: (signal?: AbortSignal) => call("enabledNodes", { signal }),
  createNode: (body: BodyOf<"createNode">) => call("createNode", { body }),
  updateNode: (id: string, body: BodyOf<"updateNode">) => call("updateNode", { params: byId(id), body }),
  deleteNode: (id: string, force = false) =>
    call("deleteNode", { params: byId(id), query: force ? { force: true } : {} }),
  testNode: (id: string) => call("testNode", { params: byId(id) }),
  deleteStrayInterface: (id: string, name: string) => call("deleteStrayInterface", { params: { id, name } }),
  /** Adopts the agent that now answers at the node's URL (another instance than the node is bound to). */
  confirmNodeAgent: (id: string) => call("confirmNodeAgent", { params: byId(id) }),
  reconcileNode: (id: string) => call("reconcileNode", { params: byId(id) }),
  nodeDrift: (id: string) => call("nodeDrift", { params: byId(id) }),
  removeStrays: (id: string) => call("removeStrays", { params: byId(id) }),
  adoptStray: (id: string, body: BodyOf<"adoptStray">) => call("adoptStray", { params: byId(id), body }),
  adoptInterface: (id: string, body: BodyOf<"adoptInterface">) =>
    call("adoptInterface", { params: byId(id), body }),
  importConfiguration: (name: string, body: BodyOf<"importConfiguration">) =>
    call("importConfiguration", { params: byName(name), body }),

  listConfigurations: async () => (await call("listConfigurations")).items,
  getConfiguration: (name: string) => call("getConfiguration", { params: byName(name) }),
  createConfiguration: (body: BodyOf<"createConfiguration">) => call("createConfiguration", { body }),
  updateConfiguration: (name: string, body: BodyOf<"updateConfiguration">) =>
    call("updateConfiguration", { params: byName(name), body }),
  deleteConfiguration: (name: string, force = false) =>
    call("deleteConfiguration", { params: byName(name), query: force ? { force: true } : {} }),
  removeInterface: (name: string, nodeId: string, force = false) =>
    call("removeInterface", { params: { name, nodeId }, query: force ? { force: true } : {} }),
  addInterface: (name: string, body: BodyOf<"addInterface">) =>
    call("addInterface", { params: byName(name), body }),
  updateInterface: (name: string, nodeId: string, body: BodyOf<"updateInterface">) =>
    call("updateInterface", { params: { name, nodeId }, body }),
  checkEndpoint: (body: BodyOf<"checkEndpoint">, signal?: AbortSignal) =>
    call("checkEndpoint", { body, signal }),
  endpointGuesses: () => call("endpointGuesses", {}),
  placement: (name: string, signal?: AbortSignal) => call("placement", { params: byName(name), signal }),
  listPeers: (name: string, query: QueryOf<"listPeers">, signal?: AbortSignal) =>
    call("listPeers", { params: byName(name), query, signal }),
  createPeer: (name: string, body: BodyOf<"createPeer">) =>
    call("createPeer", { params: byName(name), body }),

  getPeer: (id: string, signal?: AbortSignal) => call("getPeer", { params: byId(id), signal }),
  updatePeer: (id: string, body: BodyOf<"updatePeer">) => call("updatePeer", { params: byId(id), body }),
  deletePeer: (id: string) => call("deletePeer", { params: byId(id) }),
  disablePeer: (id: string) => call("disablePeer", { params: byId(id) }),
  enablePeer: (id: string) => call("enablePeer", { params: byId(id) }),
  peerLifecycle: (id: string, signal?: AbortSignal) => call("peerLifecycle", { params: byId(id), signal }),
  peerConfigText: (id: string) => callText("peerConfig", { params: byId(id) }),
  peerConfigUrl: (id: string) => urlOf("peerConfig", byId(id)),
  peerQrUrl: (id: string) => urlOf("peerQr", byId(id)),
  /** The chosen peers' client configs as one zip (POST: the id list may be long). */
  peerConfigsZip: (name: string, ids: string[]) =>
    callFile("peerConfigsZip", { params: byName(name), body: { ids } }),
  bulkCreatePeers: (name: string, body: BodyOf<"bulkCreatePeers">) =>
    call("bulkCreatePeers", { params: byName(name), body }),
  /** One action on many peers: one request, one answer listing every peer. */
  bulkPeerAction: (body: BodyOf<"bulkPeerAction">) => call("bulkPeerAction", { body }),
  peersCsvUrl: (name: string) => urlOf("peersCsv", byName(name)),
  /** A 400 lists every bad row in the ApiError's body (PeerCsvRowsError). */
  importPeersCsv: (name: string, csv: string, partial: boolean) =>
    call("importPeersCsv", {
      params: byName(name),
      query: { partial },
      file: { text: csv, type: "text/csv" },
    }),

  traffic: (query: QueryOf<"traffic"> = {}, signal?: AbortSignal) => call("traffic", { query, signal }),
  lifecycleAttention: (query: QueryOf<"lifecycleAttention"> = {}, signal?: AbortSignal) =>
    call("lifecycleAttention", { query, signal }),
  audit: (query: QueryOf<"audit"> = {}, signal?: AbortSignal) => call("audit", { query, signal }),
};
