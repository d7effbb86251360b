// The dashboard's HTTP API: every answer, request body and query, declared once as a TypeBox schema
// (the OpenAPI document shows them) with its Static type, for the dashboard's routes, services and
// mappers and for the web app's client (types only); docs/api-reference.md is generated from them. The *-checks files hold the meaning checks a
// schema cannot express; services call them on input the route schema already shaped.
export type { Static, TSchema } from "@sinclair/typebox";
export * from "../protocol/schedule-checks.js";
export * from "./alert.js";
export * from "./apikey.js";
export * from "./audit.js";
export * from "./bulk.js";
export * from "./check-shape.js";
export * from "./client-settings-checks.js";
export * from "./configuration.js";
export * from "./drift.js";
export * from "./email.js";
export * from "./email-checks.js";
export * from "./endpoint.js";
export * from "./iso-time.js";
export * from "./lifecycle.js";
export * from "./move.js";
export * from "./node.js";
export * from "./node-enrollment.js";
export * from "./peer.js";
export * from "./peer-checks.js";
export * from "./peer-configs-zip.js";
export * from "./peer-csv-checks.js";
export * from "./placement.js";
export * from "./quota-checks.js";
export * from "./request-fields.js";
export * from "./share.js";
export * from "./sign-in.js";
export * from "./stats.js";
export * from "./timestamp.js";
export * from "./two-factor.js";
export * from "./user.js";
export * from "./webhook.js";
