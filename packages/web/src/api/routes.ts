// Every API route the web app calls: method, path, and the names of the @wgfleet/core schemas of its
// body, query and answer. The names are plain strings at run time (no code of core enters the bundle)
// and types at compile time: BodyOf / QueryOf / ResponseOf read each schema's Static type, so a field
// added in core reaches the client with no second declaration. test/web/openapi-contract.test.ts
// checks each entry against the OpenAPI document the dashboard serves.
import type * as Core from "@wgfleet/core";

type Exports = typeof Core;
/** The name of every TypeBox schema core exports. */
export type SchemaName = {
  [K in keyof Exports]: Exports[K] extends Core.TSchema ? K : never;
}[keyof Exports] &
  string;
type Of<K extends SchemaName> = Core.Static<Exports[K]>;

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * The answer: one schema, `{items: [schema]}`, `[schema]`, text (a file, an SVG), bytes (a zip) or
 * none (204).
 */
export type ResponseSpec =
  | SchemaName
  | { readonly items: SchemaName }
  | { readonly array: SchemaName }
  | "text"
  | "binary"
  | null;

export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI style: `/api/v1/peers/{id}`. */
  readonly path: string;
  readonly body?: SchemaName;
  readonly query?: SchemaName;
  readonly response: ResponseSpec;
}

function get<const R extends ResponseSpec>(
  path: string,
  response: R,
): { method: "GET"; path: string; response: R };
function get<const R extends ResponseSpec, const Q extends SchemaName>(
  path: string,
  response: R,
  query: Q,
): { method: "GET"; path: string; response: R; query: Q };
function get(path: string, response: ResponseSpec, query?: SchemaName): RouteSpec {
  return { method: "GET", path, response, ...(query ? { query } : {}) };
}

export const routes = {
  login: { method: "POST", path: "/api/v1/session", body: "LoginBodySchema", response: "SessionDtoSchema" },
  currentSession: get("/api/v1/session", "CurrentSessionDtoSchema"),
  logout: { method: "DELETE", path: "/api/v1/session", response: null },
  signInMethods: get("/api/v1/auth/methods", "SignInMethodsDtoSchema"),
  changeOwnPassword: {
    method: "POST",
    path: "/api/v1/users/me/password",
    body: "ChangePasswordBodySchema",
    response: "UserDtoSchema",
  },

  twoFactorStatus: get("/api/v1/users/me/totp", "TwoFactorStatusDtoSchema"),
  startTotpEnrolment: { method: "POST", path: "/api/v1/users/me/totp", response: "TotpEnrolmentDtoSchema" },
  confirmTotpEnrolment: {
    method: "POST",
    path: "/api/v1/users/me/totp/confirm",
    body: "ConfirmTotpBodySchema",
    response: "RecoveryCodesDtoSchema",
  },
  disableOwnTotp: {
    method: "POST",
    path: "/api/v1/users/me/totp/disable",
    body: "DisableTotpBodySchema",
    response: null,
  },
  resetUserTotp: { method: "DELETE", path: "/api/v1/users/{id}/totp", response: null },
  twoFactorPolicy: get("/api/v1/two-factor/policy", "TwoFactorPolicyDtoSchema"),
  setTwoFactorPolicy: {
    method: "PUT",
    path: "/api/v1/two-factor/policy",
    body: "TwoFactorPolicyDtoSchema",
    response: "TwoFactorPolicyDtoSchema",
  },

  listUsers: get("/api/v1/users", { items: "UserDtoSchema" }),
  createUser: {
    method: "POST",
    path: "/api/v1/users",
    body: "CreateUserBodySchema",
    response: "UserDtoSchema",
  },
  updateUser: {
    method: "PATCH",
    path: "/api/v1/users/{id}",
    body: "UpdateUserBodySchema",
    response: "UserDtoSchema",
  },
  deleteUser: { method: "DELETE", path: "/api/v1/users/{id}", response: null },

  listAlerts: get("/api/v1/alerts", "AlertListDtoSchema", "AlertListQuerySchema"),
  alertSettings: get("/api/v1/alerts/settings", "AlertSettingsSchema"),
  setAlertSettings: {
    method: "PUT",
    path: "/api/v1/alerts/settings",
    body: "AlertSettingsSchema",
    response: "AlertSettingsSchema",
  },

  listWebhooks: get("/api/v1/webhooks", { items: "WebhookDtoSchema" }),
  createWebhook: {
    method: "POST",
    path: "/api/v1/webhooks",
    body: "CreateWebhookBodySchema",
    response: "CreatedWebhookDtoSchema",
  },
  updateWebhook: {
    method: "PATCH",
    path: "/api/v1/webhooks/{id}",
    body: "UpdateWebhookBodySchema",
    response: "WebhookDtoSchema",
  },
  deleteWebhook: { method: "DELETE", path: "/api/v1/webhooks/{id}", response: null },
  testWebhook: { method: "POST", path: "/api/v1/webhooks/{id}/test", response: "WebhookDeliveryDtoSchema" },
  webhookDeliveries: get(
    "/api/v1/webhooks/{id}/deliveries",
    { items: "WebhookDeliveryDtoSchema" },
    "WebhookDeliveriesQuerySchema",
  ),

  listApiKeys: get("/api/v1/apikeys", { items: "ApiKeyDtoSchema" }),
  createApiKey: {
    method: "POST",
    path: "/api/v1/apikeys",
    body: "CreateApiKeyBodySchema",
    response: "CreatedApiKeyDtoSchema",
  },
  revokeApiKey: { method: "DELETE", path: "/api/v1/apikeys/{id}", response: "ApiKeyDtoSchema" },

  createShareLink: {
    method: "POST",
    path: "/api/v1/peers/{id}/share",
    body: "CreateShareLinkBodySchema",
    response: "CreatedShareLinkDtoSchema",
  },
  listShareLinks: get("/api/v1/peers/{id}/shares", { items: "ShareLinkDtoSchema" }),
  revokeShareLink: { method: "DELETE", path: "/api/v1/shares/{id}", response: "ShareLinkDtoSchema" },

  emailPeer: {
    method: "POST",
    path: "/api/v1/peers/{id}/email",
    body: "SendPeerEmailBodySchema",
    response: "SentPeerEmailDtoSchema",
  },
  emailSettings: get("/api/v1/settings/email", "EmailSettingsDtoSchema"),
  updateEmailSettings: {
    method: "PUT",
    path: "/api/v1/settings/email",
    body: "UpdateEmailSettingsBodySchema",
    response: "EmailSettingsDtoSchema",
  },
  testEmail: {
    method: "POST",
    path: "/api/v1/settings/email/test",
    body: "TestEmailBodySchema",
    response: "TestEmailResultDtoSchema",
  },

  movePeer: {
    method: "POST",
    path: "/api/v1/peers/{id}/move",
    body: "MovePeerBodySchema",
    response: "MovedPeerDtoSchema",
  },
  drainNode: {
    method: "POST",
    path: "/api/v1/nodes/{id}/drain",
    body: "DrainNodeBodySchema",
    response: "DrainAnswerDtoSchema",
  },
  getJob: get("/api/v1/jobs/{id}", "JobDtoSchema"),

  listJoinTokens: get("/api/v1/join-tokens", { items: "JoinTokenDtoSchema" }),
  createJoinToken: {
    method: "POST",
    path: "/api/v1/join-tokens",
    body: "CreateJoinTokenBodySchema",
    response: "CreatedJoinTokenDtoSchema",
  },
  revokeJoinToken: { method: "DELETE", path: "/api/v1/join-tokens/{id}", response: null },

  listNodes: get("/api/v1/nodes", { items: "NodeDtoSchema" }),
  getNode: get("/api/v1/nodes/{id}", "NodeDtoSchema"),
  enabledNodes: get("/api/nodes/enabled", { array: "EnabledNodeDtoSchema" }),
  createNode: {
    method: "POST",
    path: "/api/v1/nodes",
    body: "CreateNodeBodySchema",
    response: "NodeDtoSchema",
  },
  updateNode: {
    method: "PATCH",
    path: "/api/v1/nodes/{id}",
    body: "UpdateNodeBodySchema",
    response: "NodeDtoSchema",
  },
  deleteNode: {
    method: "DELETE",
    path: "/api/v1/nodes/{id}",
    query: "DeleteNodeQuerySchema",
    response: null,
  },
  testNode: { method: "POST", path: "/api/v1/nodes/{id}/test", response: "NodeTestDtoSchema" },
  deleteStrayInterface: {
    method: "DELETE",
    path: "/api/v1/nodes/{id}/stray-interfaces/{name}",
    response: null,
  },
  confirmNodeAgent: { method: "POST", path: "/api/v1/nodes/{id}/confirm-agent", response: "NodeDtoSchema" },
  reconcileNode: { method: "POST", path: "/api/v1/nodes/{id}/reconcile", response: "NodeReconcileDtoSchema" },
  nodeDrift: get("/api/v1/nodes/{id}/drift", "NodeDriftDtoSchema"),
  removeStrays: {
    method: "POST",
    path: "/api/v1/nodes/{id}/drift/remove-strays",
    response: "RemoveStraysDtoSchema",
  },
  adoptStray: {
    method: "POST",
    path: "/api/v1/nodes/{id}/drift/adopt",
    body: "AdoptStrayBodySchema",
    response: "PeerDtoSchema",
  },
  adoptInterface: {
    method: "POST",
    path: "/api/v1/nodes/{id}/adopt",
    body: "AdoptInterfaceBodySchema",
    response: "AdoptionDtoSchema",
  },
  importConfiguration: {
    method: "POST",
    path: "/api/v1/configurations/{name}/import",
    body: "ImportConfigurationBodySchema",
    response: "AdoptionDtoSchema",
  },

  listConfigurations: get("/api/v1/configurations", { items: "ConfigurationDtoSchema" }),
  getConfiguration: get("/api/v1/configurations/{name}", "ConfigurationDtoSchema"),
  createConfiguration: {
    method: "POST",
    path: "/api/v1/configurations",
    body: "CreateConfigurationBodySchema",
    response: "ConfigurationDtoSchema",
  },
  updateConfiguration: {
    method: "PATCH",
    path: "/api/v1/configurations/{name}",
    body: "UpdateConfigurationBodySchema",
    response: "ConfigurationDtoSchema",
  },
  deleteConfiguration: {
    method: "DELETE",
    path: "/api/v1/configurations/{name}",
    query: "ForceQuerySchema",
    response: null,
  },
  addInterface: {
    method: "POST",
    path: "/api/v1/configurations/{name}/interfaces",
    body: "AddInterfaceBodySchema",
    response: "InterfaceDtoSchema",
  },
  updateInterface: {
    method: "PATCH",
    path: "/api/v1/configurations/{name}/interfaces/{nodeId}",
    body: "UpdateInterfaceBodySchema",
    response: "UpdatedInterfaceDtoSchema",
  },
  checkEndpoint: {
    method: "POST",
    path: "/api/v1/endpoints/check",
    body: "EndpointCheckBodySchema",
    response: "EndpointCheckDtoSchema",
  },
  endpointGuesses: get("/api/v1/endpoints/guesses", "EndpointGuessesDtoSchema"),
  removeInterface: {
    method: "DELETE",
    path: "/api/v1/configurations/{name}/interfaces/{nodeId}",
    query: "ForceQuerySchema",
    response: null,
  },
  listPeers: get("/api/v1/configurations/{name}/peers", "PeerPageDtoSchema", "ListPeersQuerySchema"),
  placement: get("/api/v1/configurations/{name}/placement", "PlacementDtoSchema"),
  createPeer: {
    method: "POST",
    path: "/api/v1/configurations/{name}/peers",
    body: "CreatePeerBodySchema",
    response: "PeerDtoSchema",
  },

  getPeer: get("/api/v1/peers/{id}", "PeerDtoSchema"),
  updatePeer: {
    method: "PATCH",
    path: "/api/v1/peers/{id}",
    body: "UpdatePeerBodySchema",
    response: "PeerDtoSchema",
  },
  deletePeer: { method: "DELETE", path: "/api/v1/peers/{id}", response: null },
  disablePeer: { method: "POST", path: "/api/v1/peers/{id}/disable", response: "PeerDtoSchema" },
  enablePeer: { method: "POST", path: "/api/v1/peers/{id}/enable", response: "PeerDtoSchema" },
  peerLifecycle: get("/api/v1/peers/{id}/lifecycle", "PeerLifecycleDtoSchema"),
  peerConfig: get("/api/v1/peers/{id}/config", "text"),
  peerQr: get("/api/v1/peers/{id}/qr.svg", "text"),
  peerConfigsZip: {
    method: "POST",
    path: "/api/v1/configurations/{name}/peers/configs.zip",
    body: "PeerConfigsZipBodySchema",
    response: "binary",
  },
  bulkCreatePeers: {
    method: "POST",
    path: "/api/v1/configurations/{name}/peers/bulk",
    body: "BulkCreatePeersBodySchema",
    response: "BulkCreatePeersResultSchema",
  },
  bulkPeerAction: {
    method: "POST",
    path: "/api/v1/peers/bulk",
    body: "BulkPeerActionBodySchema",
    response: "BulkPeerActionResultSchema",
  },
  peersCsv: get("/api/v1/configurations/{name}/peers.csv", "text"),
  /** The body is the CSV file itself (text/csv), not JSON: see callCsv in client.ts. */
  importPeersCsv: {
    method: "POST",
    path: "/api/v1/configurations/{name}/peers/import.csv",
    query: "PeerCsvImportQuerySchema",
    response: "PeerCsvImportResultSchema",
  },

  traffic: get("/api/v1/stats/traffic", "TrafficDtoSchema", "TrafficQuerySchema"),
  lifecycleAttention: get(
    "/api/v1/lifecycle/attention",
    "LifecycleAttentionDtoSchema",
    "LifecycleAttentionQuerySchema",
  ),
  audit: get("/api/v1/audit", "AuditPageDtoSchema", "AuditQuerySchema"),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof routes;
type Spec<N extends RouteName> = (typeof routes)[N];

/** The JSON body a route takes (never for routes without one). */
export type BodyOf<N extends RouteName> =
  Spec<N> extends { body: infer K extends SchemaName } ? Of<K> : never;
/** The query a route takes. */
export type QueryOf<N extends RouteName> =
  Spec<N> extends { query: infer K extends SchemaName } ? Of<K> : never;
/** What a route answers with. */
export type ResponseOf<N extends RouteName> = AnswerOf<Spec<N>["response"]>;
type AnswerOf<R> = R extends SchemaName
  ? Of<R>
  : R extends { items: infer K extends SchemaName }
    ? { items: Of<K>[] }
    : R extends { array: infer K extends SchemaName }
      ? Of<K>[]
      : R extends "text"
        ? string
        : R extends "binary"
          ? Blob
          : null;

/** `/api/v1/peers/{id}` + `{id: "x"}` → `/api/v1/peers/x` (each value URI-encoded). */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter ${key} for ${path}`);
    return encodeURIComponent(value);
  });
}
