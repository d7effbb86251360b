import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeKey, SECRET_KEY_ENV, SECRET_KEY_FILE_NAME } from "./key-source.js";
import { SecretBox, SecretDecryptionError } from "./secret-box.js";

const PLAINTEXT = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

describe("SecretBox", () => {
  let dataDir: string;
  let savedEnv: string | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "wgfleet-secrets-"));
    savedEnv = process.env[SECRET_KEY_ENV];
    delete process.env[SECRET_KEY_ENV];
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
    if (savedEnv === undefined) delete process.env[SECRET_KEY_ENV];
    else process.env[SECRET_KEY_ENV] = savedEnv;
  });

  it("round-trips text, including empty and non-ASCII", async () => {
    const box = await SecretBox.open({ dataDir });
    for (const plain of [PLAINTEXT, "", "pässwörd ✓ 🔑", "x".repeat(100_000)]) {
      expect(box.decrypt(box.encrypt(plain))).toBe(plain);
    }
  });

  it("encryptMany: each text its own fresh IV, round-trips, null stays null", async () => {
    const box = await SecretBox.open({ dataDir });
    const out = box.encryptMany([PLAINTEXT, null, PLAINTEXT, "ü"]);
    expect(out[1]).toBeNull();
    expect(out.filter((e) => e !== null).map((e) => box.decrypt(e as string))).toEqual([
      PLAINTEXT,
      PLAINTEXT,
      "ü",
    ]);
    const ivs = [out[0], out[2], out[3]].map((e) =>
      Buffer.from((e as string).slice(3), "base64")
        .subarray(0, 12)
        .toString("hex"),
    );
    expect(new Set(ivs).size).toBe(3);
  });

  it("writes v1: + base64(iv | tag | ciphertext), a fresh IV each time, no plaintext inside", async () => {
    const box = await SecretBox.open({ dataDir });
    const first = box.encrypt(PLAINTEXT);
    const second = box.encrypt(PLAINTEXT);
    expect(first).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(first).not.toBe(second);
    const packed = Buffer.from(first.slice(3), "base64");
    expect(packed.length).toBe(12 + 16 + Buffer.byteLength(PLAINTEXT));
    expect(packed.subarray(0, 12)).not.toEqual(Buffer.from(second.slice(3), "base64").subarray(0, 12));
    for (const form of [first, packed.toString("latin1"), packed.toString("hex")]) {
      expect(form).not.toContain(PLAINTEXT);
      expect(form).not.toContain(PLAINTEXT.slice(0, 12));
    }
  });

  it("refuses altered ciphertext, tag, IV, a truncated or foreign format", async () => {
    const box = await SecretBox.open({ dataDir });
    const sealed = box.encrypt(PLAINTEXT);
    const packed = Buffer.from(sealed.slice(3), "base64");
    for (const index of [0, 12, 28, packed.length - 1]) {
      const altered = Buffer.from(packed);
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      expect(() => box.decrypt(`v1:${altered.toString("base64")}`)).toThrow(SecretDecryptionError);
    }
    expect(() => box.decrypt(`v1:${packed.subarray(0, 20).toString("base64")}`)).toThrow(
      SecretDecryptionError,
    );
    expect(() => box.decrypt(`v1:${packed.subarray(0, packed.length - 1).toString("base64")}`)).toThrow(
      SecretDecryptionError,
    );
    expect(() => box.decrypt(sealed.slice(3))).toThrow(/unknown format/);
    expect(() => box.decrypt(`v2:${sealed.slice(3)}`)).toThrow(/unknown format/);
  });

  it("cannot decrypt with another key, and says so without the secret", async () => {
    const sealed = (await SecretBox.open({ dataDir })).encrypt(PLAINTEXT);
    const other = SecretBox.fromKey(randomBytes(32));
    let message = "";
    try {
      other.decrypt(sealed);
    } catch (error) {
      expect(error).toBeInstanceOf(SecretDecryptionError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/wrong key/);
    expect(message).not.toContain(PLAINTEXT);
    expect(message).not.toContain(sealed);
  });

  it("creates <dataDir>/secret.key with mode 0600 on first start and reuses it", async () => {
    const first = await SecretBox.open({ dataDir });
    const path = join(dataDir, SECRET_KEY_FILE_NAME);
    expect(first.source).toBe("new-file");
    expect(first.keyPath).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(decodeKey(readFileSync(path, "utf8"))).not.toBeNull();

    const second = await SecretBox.open({ dataDir });
    expect(second.source).toBe("file");
    expect(second.decrypt(first.encrypt(PLAINTEXT))).toBe(PLAINTEXT);
  });

  it("creates the data dir when it is missing", async () => {
    const nested = join(dataDir, "a", "b");
    await SecretBox.open({ dataDir: nested });
    expect(statSync(join(nested, SECRET_KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it("ends up with one key when many open at once", async () => {
    const boxes = await Promise.all(Array.from({ length: 8 }, () => SecretBox.open({ dataDir })));
    const sealed = boxes[0]?.encrypt(PLAINTEXT) ?? "";
    for (const box of boxes) expect(box.decrypt(sealed)).toBe(PLAINTEXT);
    expect(boxes.filter((box) => box.source === "new-file")).toHaveLength(1);
  });

  it("refuses a key file of the wrong length", async () => {
    const path = join(dataDir, SECRET_KEY_FILE_NAME);
    for (const content of [randomBytes(16).toString("base64"), "", "not base64 at all!", randomBytes(31)]) {
      writeFileSync(path, content, { mode: 0o600 });
      await expect(SecretBox.open({ dataDir })).rejects.toThrow(/does not hold a 32-byte key/);
    }
  });

  it("accepts a key file of 32 raw bytes", async () => {
    const key = randomBytes(32);
    writeFileSync(join(dataDir, SECRET_KEY_FILE_NAME), key, { mode: 0o600 });
    const sealed = SecretBox.fromKey(key).encrypt(PLAINTEXT);
    expect((await SecretBox.open({ dataDir })).decrypt(sealed)).toBe(PLAINTEXT);
  });

  it("warns when the key file is readable by others, but still opens", async () => {
    await SecretBox.open({ dataDir });
    chmodSync(join(dataDir, SECRET_KEY_FILE_NAME), 0o644);
    const warnings: string[] = [];
    const logger = { warn: (_obj: object, msg?: string) => warnings.push(msg ?? "") };
    await SecretBox.open({ dataDir, logger });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/mode 644.*chmod 600/);
  });

  it("takes the key from envKey or WGFLEET_SECRET_KEY before the file, and writes no file", async () => {
    const key = randomBytes(32);
    const sealed = SecretBox.fromKey(key).encrypt(PLAINTEXT);

    const fromOption = await SecretBox.open({ dataDir, envKey: key.toString("base64") });
    expect(fromOption.source).toBe("env");
    expect(fromOption.decrypt(sealed)).toBe(PLAINTEXT);

    process.env[SECRET_KEY_ENV] = `${key.toString("base64")}\n`;
    const fromEnv = await SecretBox.open({ dataDir });
    expect(fromEnv.decrypt(sealed)).toBe(PLAINTEXT);
    expect(() => statSync(join(dataDir, SECRET_KEY_FILE_NAME))).toThrow();
  });

  it("refuses a malformed env key without echoing it", async () => {
    for (const bad of ["c2hvcnQ=", `${randomBytes(32).toString("base64")}AA`, "!!!!"]) {
      const attempt = SecretBox.open({ dataDir, envKey: bad });
      await expect(attempt).rejects.toThrow(
        /WGFLEET_SECRET_KEY must be the base64 encoding of exactly 32 bytes/,
      );
      await attempt.catch((error: Error) => expect(error.message).not.toContain(bad));
    }
  });

  it("treats an empty env key as unset", async () => {
    const box = await SecretBox.open({ dataDir, envKey: "" });
    expect(box.source).toBe("new-file");
  });

  it("keeps the key out of inspect and JSON", async () => {
    const key = randomBytes(32);
    const box = SecretBox.fromKey(key);
    for (const text of [inspect(box, { showHidden: true }), JSON.stringify(box), String(box)]) {
      expect(text).not.toContain(key.toString("base64"));
      expect(text).not.toContain(key.toString("hex"));
    }
  });
});
