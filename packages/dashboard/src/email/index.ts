// E-mail: SMTP settings, mailing a peer's share link, and the expiry / quota warnings outbox.
export * from "./email-outbox.repository.js";
export * from "./email-services.js";
export * from "./email-settings.service.js";
export * from "./peer-email.service.js";
export * from "./retry-schedule.js";
export * from "./warning-worker.js";
