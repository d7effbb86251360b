// docs/configuration.md is generated from the dashboard's settings schema; this fails when a setting
// changed and the file was not regenerated, and checks that the example in it is a valid config file.
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { parseConfigFile } from "../../packages/dashboard/src/config/config-file.js";
import { SETTINGS } from "../../packages/dashboard/src/config/schema.js";
import {
  CONFIGURATION_DOC_PATH,
  EXAMPLE_CONFIG,
  REGENERATE_COMMAND,
  renderConfigurationDoc,
} from "../../scripts/config-reference/render.js";

it("docs/configuration.md matches the settings schema", async () => {
  const onDisk = await readFile(CONFIGURATION_DOC_PATH, "utf8").catch(() => "");
  expect(
    onDisk === renderConfigurationDoc(),
    `docs/configuration.md is stale: run \`${REGENERATE_COMMAND}\` and commit it`,
  ).toBe(true);
});

it("documents every setting once, with its flag", () => {
  const text = renderConfigurationDoc();
  for (const def of SETTINGS) {
    expect(text.split(`| \`${def.env}\` |`).length - 1, def.env).toBe(1);
    if (def.flag) expect(text, def.env).toContain(`\`${def.flag}\``);
  }
});

it("shows an example that the dashboard accepts", () => {
  const values = parseConfigFile(EXAMPLE_CONFIG, "example.yaml");
  expect(values.WGFLEET_DATABASE_POOL_SIZE).toBe("20");
  expect(values.WGFLEET_OIDC_ADMIN_VALUES).toBe("wg-admins");
  expect(renderConfigurationDoc()).toContain(EXAMPLE_CONFIG.trimEnd());
});
