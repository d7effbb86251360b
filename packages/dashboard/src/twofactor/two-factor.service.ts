// Rules of two-factor sign-in (TOTP): enrolling (a new secret, confirmed by a code before it counts),
// the 10 recovery codes (shown once, stored hashed), the check at login (a code's step must be later
// than the last one used, a recovery code works once), turning it off (own password) or resetting it
// (an admin, for a user who lost their phone), and the policy that every admin must use it.
// The secret is encrypted with the secret box at rest, leaves only in the enrolment answer, and is
// never logged nor put in an error. Audit entries come from the HTTP layer, not from here.
import {
  ConflictError,
  NotFoundError,
  type RecoveryCodesDto,
  type TotpEnrolmentDto,
  TotpInvalidError,
  TotpRequiredError,
  type TwoFactorPolicyDto,
  type TwoFactorStatusDto,
  ValidationError,
} from "@wgfleet/core";
import type { Actor } from "../auth/actor.js";
import type { SessionService } from "../auth/session.service.js";
import { type Clock, nowIso, systemClock } from "../clock.js";
import { qrSvg } from "../qr-svg.js";
import type { SecretBox } from "../secrets/secret-box.js";
import {
  hashRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeHashes,
} from "./recovery-codes.js";
import { isTotpCode, newTotpSecret, otpauthUri, stepOfCode } from "./totp.js";
import type { TwoFactorRepository, TwoFactorRow } from "./two-factor.repository.js";

/** What turning two-factor off needs of users (the user service provides it). */
export interface PasswordCheck {
  passwordMatches(userId: string, password: string): Promise<boolean>;
}

export interface TwoFactorServiceDeps {
  repository: Pick<
    TwoFactorRepository,
    | "claimStep"
    | "countUnspentCodes"
    | "disable"
    | "enable"
    | "find"
    | "requireForAdmins"
    | "setPending"
    | "setRequireForAdmins"
    | "spendRecoveryCode"
  >;
  secrets: Pick<SecretBox, "decrypt" | "encrypt">;
  passwords: PasswordCheck;
  sessions: Pick<SessionService, "endAllForUser">;
  clock?: Clock;
}

export class TwoFactorService {
  private readonly repository: TwoFactorServiceDeps["repository"];
  private readonly secrets: TwoFactorServiceDeps["secrets"];
  private readonly clock: Clock;

  constructor(private readonly deps: TwoFactorServiceDeps) {
    this.repository = deps.repository;
    this.secrets = deps.secrets;
    this.clock = deps.clock ?? systemClock;
  }

  async status(userId: string): Promise<TwoFactorStatusDto> {
    const row = await this.require(userId);
    const enabled = row.totp_secret_enc !== null;
    return {
      enabled,
      pending: row.totp_pending_enc !== null,
      recoveryCodesLeft: enabled ? await this.repository.countUnspentCodes(userId) : 0,
      required: row.role === "admin" && (await this.repository.requireForAdmins()),
    };
  }

  /** A new secret for the user's app; it counts only once confirmEnrolment has seen a code of it. */
  async startEnrolment(actor: Actor): Promise<TotpEnrolmentDto> {
    const row = await this.require(actor.userId);
    if (row.totp_secret_enc !== null) {
      throw new ConflictError("two-factor sign-in is already on; turn it off before setting it up again");
    }
    const secret = newTotpSecret();
    await this.repository.setPending(actor.userId, this.secrets.encrypt(secret), nowIso(this.clock.now()));
    const uri = otpauthUri(secret, actor.username);
    return { secret, otpauthUri: uri, qrSvg: await qrSvg(uri) };
  }

  /** Turns two-factor sign-in on with the pending secret; answers the recovery codes, this once. */
  async confirmEnrolment(actor: Actor, code: string): Promise<RecoveryCodesDto> {
    const row = await this.require(actor.userId);
    if (row.totp_pending_enc === null) {
      throw new ConflictError("no set-up is in progress: start one with POST /api/v1/users/me/totp", "code");
    }
    const now = this.clock.now();
    const step = stepOfCode(this.secrets.decrypt(row.totp_pending_enc), code, now);
    if (step === null) throw new ValidationError("code", "is not the code your authenticator app shows now");
    const recoveryCodes = newRecoveryCodes();
    const hashes = recoveryCodeHashes(actor.userId, recoveryCodes);
    const enabled = await this.repository.enable(
      actor.userId,
      row.totp_pending_enc,
      step,
      hashes,
      nowIso(now),
    );
    if (!enabled)
      throw new ConflictError("the set-up was restarted meanwhile; use the newest QR code", "code");
    return { recoveryCodes };
  }

  /** The user turns it off themselves: their password is needed, and not while the policy requires it. */
  async disableOwn(actor: Actor, currentPassword: string): Promise<void> {
    const status = await this.status(actor.userId);
    if (!(await this.deps.passwords.passwordMatches(actor.userId, currentPassword))) {
      throw new ValidationError("currentPassword", "does not match your current password");
    }
    if (status.required) {
      throw new ConflictError("two-factor sign-in is required for admins; it cannot be turned off");
    }
    await this.repository.disable(actor.userId, nowIso(this.clock.now()));
  }

  /**
   * An admin (or the admin CLI) resets a user's two-factor sign-in (a lost phone): secret and recovery
   * codes go, and the user's sessions end but `keepSessionId` (an admin resetting their own). If the
   * policy requires it, the user sets it up again at their next sign-in.
   */
  async reset(userId: string, keepSessionId?: string): Promise<void> {
    await this.require(userId);
    await this.repository.disable(userId, nowIso(this.clock.now()));
    await this.deps.sessions.endAllForUser(userId, keepSessionId);
  }

  async policy(): Promise<TwoFactorPolicyDto> {
    return { requireForAdmins: await this.repository.requireForAdmins() };
  }

  /** Requiring it for admins needs the admin who turns it on to use it already (no locking oneself in). */
  async setPolicy(actor: Actor, policy: TwoFactorPolicyDto): Promise<TwoFactorPolicyDto> {
    if (policy.requireForAdmins) {
      const own = await this.require(actor.userId);
      if (own.totp_secret_enc === null) {
        throw new ConflictError(
          "set up two-factor sign-in on your own account before requiring it for admins",
          "requireForAdmins",
        );
      }
    }
    await this.repository.setRequireForAdmins(policy.requireForAdmins);
    return this.policy();
  }

  /**
   * The login's second step, after a right password. Returns when the user has no second factor or
   * `code` is good (and now spent); TotpRequiredError without a code, TotpInvalidError for a wrong
   * code, a code of a step already used, or an unknown or spent recovery code.
   */
  async verifyAtLogin(userId: string, code: string | undefined): Promise<void> {
    const row = await this.repository.find(userId);
    if (!row || row.totp_secret_enc === null) return;
    if (code === undefined || code.trim() === "") throw new TotpRequiredError();
    const typed = code.replace(/\s/g, "");
    if (isTotpCode(typed)) {
      const step = stepOfCode(this.secrets.decrypt(row.totp_secret_enc), typed, this.clock.now());
      if (step !== null && (await this.repository.claimStep(userId, step))) return;
      throw new TotpInvalidError();
    }
    const recovery = normalizeRecoveryCode(typed);
    const now = nowIso(this.clock.now());
    if (
      recovery &&
      (await this.repository.spendRecoveryCode(userId, hashRecoveryCode(userId, recovery), now))
    ) {
      return;
    }
    throw new TotpInvalidError();
  }

  /** An admin without two-factor sign-in while the policy requires it: sent to set it up first. */
  async mustEnrol(userId: string): Promise<boolean> {
    const status = await this.status(userId);
    return status.required && !status.enabled;
  }

  private async require(userId: string): Promise<TwoFactorRow> {
    const row = await this.repository.find(userId);
    if (!row) throw new NotFoundError(`user ${userId}`);
    return row;
  }
}
