// Password hashing (argon2id, OWASP parameters) and generated passwords (the rules are core's schemas). Unknown users are checked
// against a dummy hash so a login takes as long whether the name exists or not. Never logs a password.
import { randomInt } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** argon2id (algorithm 2), 19 MiB, 2 passes, 1 lane: the OWASP recommendation. */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** False for a wrong password and for a malformed stored hash. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of one verification, for a user that does not exist. */
  async verifyNobody(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomPassword());
    await this.verify(await this.dummyHash, password);
    return false;
  }
}

const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** 20 characters from an unambiguous 57-letter alphabet: about 116 bits. */
export function randomPassword(length = 20): string {
  let out = "";
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}
