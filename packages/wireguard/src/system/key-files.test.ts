import { readFile, stat } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { withKeyFiles } from "./key-files.js";

describe("withKeyFiles", () => {
  it("writes 0600 files in a private 0700 folder and removes the folder afterwards", async () => {
    let path = "";
    let dirMode = 0;
    await withKeyFiles(async (files) => {
      path = await files.write("secret\n");
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      dirMode = (await stat(path.slice(0, path.lastIndexOf("/")))).mode & 0o777;
      expect(await readFile(path, "utf8")).toBe("secret\n");
    });
    expect(dirMode).toBe(0o700);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it("removes the folder when the body fails", async () => {
    let path = "";
    await expect(
      withKeyFiles(async (files) => {
        path = await files.write("secret\n");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });
});
