// The web app's names for the API's shapes. Every one is declared once, in @wgfleet/core (src/api/),
// where the dashboard's routes, services and mappers use the same schemas; request bodies and queries
// come from routes.ts (BodyOf / QueryOf). Types only: nothing here runs, and no code of core enters
// the bundle.
import type { BodyOf, QueryOf } from "./routes.js";

export type {
  AccessSchedule,
  AlertDto as Alert,
  AlertListDto as AlertList,
  AlertSettings,
  ApiKeyDto as ApiKey,
  ApiKeyScope,
  AttentionPeerDto as AttentionPeer,
  AuditEntryDto as AuditEntry,
  BulkCreatePeersResult,
  BulkNodeFailure,
  BulkPeerActionResult,
  BulkPeerResult,
  ConfigurationDto as Configuration,
  CreatedApiKeyDto as CreatedApiKey,
  CreatedJoinTokenDto as CreatedJoinToken,
  CreatedShareLinkDto as CreatedShareLink,
  CreatedWebhookDto as CreatedWebhook,
  CsvRowError,
  DrainAnswerDto as DrainAnswer,
  DrainPlanDto as DrainPlan,
  EmailSecurity,
  EmailSettingsDto as EmailSettings,
  EnabledNodeDto as EnabledNode,
  EndpointCheckDto as EndpointCheck,
  EndpointWarningDto as EndpointWarning,
  ErrorBody,
  InterfaceDto as InterfaceInfo,
  JobDto as Job,
  JoinTokenDto as JoinToken,
  JoinTokenStatus,
  LifecycleAttentionDto as LifecycleAttention,
  LifecycleEventDto as LifecycleEvent,
  LifecycleEventKind,
  LifecycleRule,
  MovedPeerDto as MovedPeer,
  NodeDriftDto as NodeDrift,
  NodeDto as FleetNode,
  NodeStatus,
  NodeTestDto as NodeTestResult,
  NodeTrafficDto as NodeTraffic,
  PassedOverDto as PassedOver,
  PeerCsvImportResult,
  PeerDto as Peer,
  PeerLifecycleDto as PeerLifecycle,
  PeerPageDto as PeerPage,
  PeerQuota,
  PeerQuotaDto,
  PeerState,
  PeerStatusFilter,
  PeerSuspensionDto as PeerSuspension,
  PlacementDto as Placement,
  PoolUsageDto as PoolUsage,
  QuotaAction,
  QuotaCounting,
  QuotaPeriod,
  QuotaUsageDto as QuotaUsage,
  SessionDto as Session,
  ShareLinkDto as ShareLink,
  SignInMethodsDto as SignInMethods,
  TotpEnrolmentDto as TotpEnrolment,
  TrafficDto as Traffic,
  TrafficHistoryDto as TrafficHistory,
  TrafficScope,
  UpdatedInterfaceDto as UpdatedInterface,
  UserDto as User,
  UserRole as Role,
  WebhookDeliveryDto as WebhookDelivery,
  WebhookDto as Webhook,
  WebhookEvent,
  WeeklyWindow,
} from "@wgfleet/core";

export type NodeInput = BodyOf<"createNode">;
export type ConfigurationInput = BodyOf<"createConfiguration">;
export type InterfaceInput = BodyOf<"addInterface">;
export type InterfaceUpdate = BodyOf<"updateInterface">;
export type PeerInput = BodyOf<"createPeer">;
export type PeerUpdate = BodyOf<"updatePeer">;
export type PeerQuery = QueryOf<"listPeers">;
export type TrafficQuery = QueryOf<"traffic">;
export type AttentionQuery = QueryOf<"lifecycleAttention">;
export type AuditQuery = QueryOf<"audit">;
export type WebhookInput = BodyOf<"createWebhook">;
