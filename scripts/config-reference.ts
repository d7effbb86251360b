// `npm run docs:config`: regenerates docs/configuration.md from the dashboard's settings schema.
// test/docs/configuration.test.ts fails when it is stale.
import { writeFile } from "node:fs/promises";
import { CONFIGURATION_DOC_PATH, renderConfigurationDoc } from "./config-reference/render.js";

await writeFile(CONFIGURATION_DOC_PATH, renderConfigurationDoc());
console.log(`wrote ${CONFIGURATION_DOC_PATH}`);
