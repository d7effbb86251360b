// Errors are values with a code. Services throw these; one place per server maps them to HTTP.
// The codes and statuses are part of the HTTP API (docs/api-reference.md): clients rely on them.

export type ErrorCode =
  | "VALIDATION"
  | "NOT_FOUND"
  | "CONFLICT"
  | "POOL_EXHAUSTED"
  | "NODE_UNAVAILABLE"
  | "NODE_ERROR"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "PASSWORD_CHANGE_REQUIRED"
  | "TOTP_REQUIRED"
  | "TOTP_INVALID"
  | "TOTP_ENROLMENT_REQUIRED"
  | "SMTP_ERROR";

export const httpStatusByCode: Record<ErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  POOL_EXHAUSTED: 409,
  NODE_UNAVAILABLE: 503,
  NODE_ERROR: 502,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PASSWORD_CHANGE_REQUIRED: 403,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  TOTP_ENROLMENT_REQUIRED: 403,
  SMTP_ERROR: 502,
};

/** The JSON body of every error answer: `{"error": {...}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

export class WgFleetError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get status(): number {
    return httpStatusByCode[this.code];
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) },
    };
  }
}

/** Bad input. The message names the field; `field` is its path ("peers[3].allowedIps"). */
export class ValidationError extends WgFleetError {
  constructor(field: string, message: string) {
    super("VALIDATION", `${field}: ${message}`, field);
  }
}

export class NotFoundError extends WgFleetError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} not found`);
  }
}

export class ConflictError extends WgFleetError {
  constructor(message: string, field?: string) {
    super("CONFLICT", message, field);
  }
}

export class PoolExhaustedError extends WgFleetError {
  constructor(pool: string) {
    super("POOL_EXHAUSTED", `address pool ${pool} is exhausted`);
  }
}

export class NodeUnavailableError extends WgFleetError {
  constructor(message: string, field?: string) {
    super("NODE_UNAVAILABLE", message, field);
  }
}

export class NodeCallError extends WgFleetError {
  constructor(message: string) {
    super("NODE_ERROR", message);
  }
}

export class UnauthorizedError extends WgFleetError {
  constructor(message = "authentication required") {
    super("UNAUTHORIZED", message);
  }
}

export class ForbiddenError extends WgFleetError {
  constructor(message = "not allowed") {
    super("FORBIDDEN", message);
  }
}

export class RateLimitedError extends WgFleetError {
  constructor(message = "too many requests") {
    super("RATE_LIMITED", message);
  }
}

/** A user who must choose a new password (first start, reset) may do nothing else until they have. */
export class PasswordChangeRequiredError extends WgFleetError {
  constructor(message = "change your password first (POST /api/v1/users/me/password)") {
    super("PASSWORD_CHANGE_REQUIRED", message);
  }
}

/**
 * The password was right but the user has two-factor sign-in: send it again with `totp` (a code from
 * the authenticator app or a recovery code). No session was created.
 */
export class TotpRequiredError extends WgFleetError {
  constructor(message = "enter the code from your authenticator app (or a recovery code) in totp") {
    super("TOTP_REQUIRED", message, "totp");
  }
}

/** The second factor was wrong, already used in this 30 s step, or a spent recovery code. */
export class TotpInvalidError extends WgFleetError {
  constructor(message = "the code is wrong or was already used") {
    super("TOTP_INVALID", message, "totp");
  }
}

/** Two-factor sign-in is required for this user and not set up yet: set it up first. */
export class TotpEnrolmentRequiredError extends WgFleetError {
  constructor(message = "set up two-factor sign-in first (POST /api/v1/users/me/totp)") {
    super("TOTP_ENROLMENT_REQUIRED", message);
  }
}

/** The mail server refused a message or could not be reached; the message quotes its answer. */
export class SmtpError extends WgFleetError {
  constructor(message: string) {
    super("SMTP_ERROR", message);
  }
}
