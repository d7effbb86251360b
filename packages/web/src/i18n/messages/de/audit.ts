import type { Translation } from "../../catalog.js";
import type en from "../en/audit.js";

export default {
  title: "Änderungsprotokoll",
  intro:
    "Jede Änderung über die API oder diese App: wer sie gemacht hat, wann, von welcher Adresse und welche Felder sich geändert haben. Geheimnisse werden nie gezeigt, nur dass sie sich geändert haben.",
  filters: {
    actor: "Benutzer oder API-Schlüssel",
    actorHelp: "Der genaue Name.",
    entity: "Art",
    anyEntity: "Jede Art",
    action: "Aktion",
    actionHelp: "Zum Beispiel peer.update, oder peer für jede Peer-Aktion.",
    from: "Von",
    to: "Bis",
    apply: "Filter anwenden",
    reset: "Zurücksetzen",
  },
  entities: {
    peer: "Peer",
    configuration: "Konfiguration",
    interface: "Schnittstelle",
    node: "Knoten",
    user: "Benutzer",
    apikey: "API-Schlüssel",
    session: "Anmeldung",
  },
  columns: {
    when: "Wann",
    who: "Wer",
    what: "Was",
    changes: "Änderungen",
    address: "Adresse",
  },
  viaKey: "mit API-Schlüssel {key}",
  secretChanged: "geändert",
  empty: "Keine passenden Einträge.",
  more: "Ältere Einträge",
} satisfies Translation<typeof en>;
