// Webhooks: registration, the delivery queue and its worker, signatures.
export * from "./delivery-schedule.js";
export * from "./delivery-worker.js";
export * from "./webhook.repository.js";
export * from "./webhook.service.js";
export * from "./webhook-signature.js";
export * from "./webhook-target.js";
