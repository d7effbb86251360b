// Where the generated HTTP API reference lives in the repository.
import { fileURLToPath } from "node:url";

export const API_REFERENCE_PATH = fileURLToPath(new URL("../../docs/api-reference.md", import.meta.url));
