// The API reference page and its entry in Settings.
export default {
  pageTitle: "API reference",
  intro:
    "Every route of this dashboard's HTTP API, from the OpenAPI document it serves. Scripts sign in with an API key.",
  download: "Download openapi.json",
  loading: "Loading the API reference…",
  failed: "The API reference could not be loaded: {message}",
  settingsTitle: "API reference",
  settingsText: "The HTTP API this dashboard serves, with every route, parameter and answer.",
  settingsLink: "Open the API reference",
};
