import type { Translation } from "../../catalog.js";
import type en from "../en/api-docs.js";

export default {
  pageTitle: "API-Referenz",
  intro:
    "Alle Routen der HTTP-API dieses Dashboards, aus dem OpenAPI-Dokument, das es ausliefert. Skripte melden sich mit einem API-Schlüssel an.",
  download: "openapi.json herunterladen",
  loading: "API-Referenz wird geladen …",
  failed: "Die API-Referenz konnte nicht geladen werden: {message}",
  settingsTitle: "API-Referenz",
  settingsText: "Die HTTP-API dieses Dashboards mit allen Routen, Parametern und Antworten.",
  settingsLink: "API-Referenz öffnen",
} satisfies Translation<typeof en>;
