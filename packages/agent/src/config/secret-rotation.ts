// Rotating the shared secret without downtime (issue 15): the dashboard hands a new secret over a
// request signed with the current one (`PUT /v1/secret`); the agent writes it to its secret file as
// line 1 and the secret that signed the request as line 2, so both key ids are accepted — also after
// a restart — until the dashboard, now signing with the new secret, asks to drop the old one
// (`DELETE /v1/secret/previous`). The file is replaced atomically (temp file, fsync, rename), so a
// crash leaves either the old file or the new one. Never returns or logs a secret.
import { dirname } from "node:path";
import { ConflictError, keyIdForSecret, ValidationError } from "@wgfleet/core";
import { writeFileAtomic } from "../state/state-files.js";
import { loadSecrets, MIN_SECRET_LENGTH } from "./secrets.js";

/** What the secret routes answer: the key ids accepted now, the current one first. */
export interface SecretKeyIds {
  keyIds: string[];
}

/** A secret the file can hold on one line: printable ASCII without spaces. */
const SECRET_TEXT = /^[\x21-\x7e]+$/;
const MAX_SECRET_LENGTH = 256;

export class SecretRotation {
  /** One change at a time: two rotations must not interleave their file writes. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      secretFile: string;
      /** Re-reads the secret files into the authenticator (as SIGHUP does). */
      reload: () => Promise<void>;
    },
  ) {}

  /** `PUT /v1/secret {secret}`: `secret` becomes current; the one that signed the request stays accepted. */
  put(body: unknown, signedWith: string): Promise<SecretKeyIds> {
    const next = newSecret(body);
    return this.serial(async () => {
      const [current, signing] = await this.fileSecrets(signedWith);
      const keep = signing ?? current;
      const lines = keep === next ? [next] : [next, keep];
      await this.write(lines);
      return { keyIds: lines.map(keyIdForSecret) };
    });
  }

  /** `DELETE /v1/secret/previous`: only the current secret stays; must be signed with it. */
  dropPrevious(signedWith: string): Promise<SecretKeyIds> {
    return this.serial(async () => {
      const [current] = await this.fileSecrets(signedWith);
      if (keyIdForSecret(current) !== signedWith) {
        throw new ConflictError(
          "the previous secret is dropped only by a request signed with the current one",
          "keyId",
        );
      }
      await this.write([current]);
      return { keyIds: [signedWith] };
    });
  }

  /** The secret file's current secret and, if the file holds it, the secret with this key id. */
  private async fileSecrets(keyId: string): Promise<[string, string | undefined]> {
    const secrets = await loadSecrets(this.deps.secretFile, null);
    const current = [...secrets.values()][0] as string;
    return [current, secrets.get(keyId)];
  }

  private async write(lines: string[]): Promise<void> {
    await writeFileAtomic(dirname(this.deps.secretFile), this.deps.secretFile, `${lines.join("\n")}\n`);
    await this.deps.reload();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function newSecret(body: unknown): string {
  const secret = (body as { secret?: unknown } | null)?.secret;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ValidationError("body", "must be a JSON object with a secret");
  }
  const extra = Object.keys(body).filter((key) => key !== "secret");
  if (extra.length > 0) throw new ValidationError(extra[0] as string, "is not a known field");
  if (typeof secret !== "string") throw new ValidationError("secret", "must be a string");
  if (secret.length < MIN_SECRET_LENGTH || secret.length > MAX_SECRET_LENGTH) {
    throw new ValidationError("secret", `must be ${MIN_SECRET_LENGTH}-${MAX_SECRET_LENGTH} characters long`);
  }
  if (!SECRET_TEXT.test(secret)) {
    throw new ValidationError("secret", "must be printable ASCII without spaces or line breaks");
  }
  return secret;
}
