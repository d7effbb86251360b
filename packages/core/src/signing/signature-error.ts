// The one error a rejected signed request gets. Its message says which check failed; it never
// contains the secret, the expected signature or anything derived from them.
import { UnauthorizedError } from "../errors.js";

export type SignatureFailure =
  | "missing_headers"
  | "bad_signature"
  | "stale_timestamp"
  | "future_timestamp"
  | "replayed_nonce"
  | "unknown_key_id";

export class SignatureError extends UnauthorizedError {
  constructor(
    readonly reason: SignatureFailure,
    detail: string,
  ) {
    super(`request signature rejected (${reason}): ${detail}`);
  }
}
