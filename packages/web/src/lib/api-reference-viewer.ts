// Renders the API reference with Swagger UI, imported on demand (its code and CSS sit in chunks of
// their own, fetched only when the page opens) and fed the document we fetch ourselves, same origin.
// Swagger UI was picked over RapiDoc and Scalar because it keeps to the app's Content-Security-Policy
// (no inline <style> or style attributes; RapiDoc's templates use both) and loads no web fonts.
// Everything that would reach beyond this page is off: the online validator badge, "try it out"
// requests, loading another spec by URL, and its own authorisation dialog.

/** The OpenAPI document the dashboard serves (no login needed). */
export const OPENAPI_URL = "/api/v1/openapi.json";

export async function renderApiReference(host: HTMLElement): Promise<void> {
  const [spec, swaggerUi] = await Promise.all([fetchDocument(), loadSwaggerUi()]);
  swaggerUi({
    domNode: host,
    spec,
    validatorUrl: null,
    supportedSubmitMethods: [],
    tryItOutEnabled: false,
    deepLinking: false,
    displayOperationId: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
  });
}

type SwaggerUi = (options: Record<string, unknown>) => unknown;

async function loadSwaggerUi(): Promise<SwaggerUi> {
  const [module] = await Promise.all([
    import("swagger-ui-dist/swagger-ui-es-bundle.js"),
    import("swagger-ui-dist/swagger-ui.css"),
  ]);
  return (module.default ?? module) as SwaggerUi;
}

// Not through api/client.ts: its routes are the typed API the app uses, checked against this very
// document, which leaves itself out (the document route is hidden).
async function fetchDocument(): Promise<object> {
  const response = await fetch(OPENAPI_URL, { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`${OPENAPI_URL}: HTTP ${response.status}`);
  return (await response.json()) as object;
}
