// `npm run docs:api`: regenerates docs/api-reference.md from the dashboard's OpenAPI document (the app
// is built in-process on a throwaway SQLite database). test/docs/api-reference.test.ts fails when it is stale.
import { writeFile } from "node:fs/promises";
import { describeApi } from "./api-reference/openapi-document.js";
import { API_REFERENCE_PATH } from "./api-reference/paths.js";
import { renderApiReference } from "./api-reference/render.js";

await writeFile(API_REFERENCE_PATH, renderApiReference(await describeApi()));
console.log(`wrote ${API_REFERENCE_PATH}`);
