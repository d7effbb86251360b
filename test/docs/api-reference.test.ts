// docs/api-reference.md is generated from the dashboard's OpenAPI document; this fails when a route
// changed and the file was not regenerated.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { describeApi } from "../../scripts/api-reference/openapi-document.js";
import { API_REFERENCE_PATH } from "../../scripts/api-reference/paths.js";
import { REGENERATE_COMMAND, renderApiReference } from "../../scripts/api-reference/render.js";

it("docs/api-reference.md matches the routes the dashboard serves", async () => {
  const fresh = renderApiReference(await describeApi());
  const onDisk = await readFile(API_REFERENCE_PATH, "utf8").catch(() => "");
  expect(
    onDisk === fresh,
    `docs/api-reference.md is stale: run \`${REGENERATE_COMMAND}\` and commit it`,
  ).toBe(true);
});

it("lists every documented route once, with who may call it", async () => {
  const api = await describeApi();
  const text = renderApiReference(api);
  for (const [path, byMethod] of Object.entries(api.document.paths)) {
    for (const method of Object.keys(byMethod)) {
      const heading = `### \`${method.toUpperCase()} ${path}\``;
      expect(text.split(heading).length - 1, heading).toBe(1);
    }
  }
  expect(text).not.toContain("Access: unknown");
  expect(text).toContain("### `GET /api/nodes/enabled`");
});
