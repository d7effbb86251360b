import type { Translation } from "../../catalog.js";
import type en from "../en/moves.js";

export default {
  move: {
    action: "Verschieben",
    title: "{name} auf einen anderen Knoten verschieben",
    intro:
      "Der Peer bekommt eine Adresse auf dem neuen Knoten und behält seine Schlüssel. Der alte Knoten behält ihn für die Übergangszeit, damit der Client funktioniert, bis er die neue Konfiguration lädt.",
    node: "Zielknoten",
    auto: "Automatisch (geringste Last)",
    nodeHelp: "Knoten, die diese Konfiguration bedienen.",
    noOtherNode: "Diese Konfiguration läuft auf keinem anderen Knoten.",
    graceHours: "Übergangszeit (Stunden)",
    graceHelp: "Wie lange der alte Knoten den Peer behält; 0 entfernt ihn sofort. Bruchteile erlaubt.",
    submit: "Peer verschieben",
    done: "Nach {node} verschoben mit {addresses}. Der alte Knoten behält den Peer bis {time}.",
    doneNow: "Nach {node} verschoben mit {addresses}. Der alte Knoten hat ihn nicht mehr.",
    newConfig: "Die neue Konfiguration: auf dem Client laden.",
    qr: "QR-Code der neuen Konfiguration",
    download: "Neue Konfiguration herunterladen",
    ownKey:
      "Der Client hält seinen privaten Schlüssel: Geben Sie ihm die neue Adresse und den öffentlichen Schlüssel des Knotens.",
  },
  drain: {
    action: "Leeren",
    title: "Knoten {name} leeren",
    intro:
      "Jeder Peer dieses Knotens zieht dorthin, wo die automatische Platzierung ihn hinstellt. Der Knoten nimmt ab jetzt keine neuen Peers an, bis das Leeren beendet wird.",
    graceHours: "Übergangszeit (Stunden)",
    graceHelp: "Wie lange dieser Knoten jeden verschobenen Peer behält; 0 entfernt ihn sofort.",
    plan: "Plan anzeigen",
    start: "Jetzt leeren",
    planTitle: "Plan",
    empty: "Der Knoten hat keine Peers.",
    movesCount: "{count} Peer zieht um | {count} Peers ziehen um",
    unplacedCount: "{count} Peer passt nirgends | {count} Peers passen nirgends",
    columns: { peer: "Peer", configuration: "Konfiguration", target: "Ziel" },
    progress: "{done} von {total} erledigt, {failed} fehlgeschlagen",
    status: { running: "Läuft", done: "Fertig", failed: "Fertig mit Fehlern" },
    draining: "Wird geleert",
    endDraining: "Leeren beenden",
    drainingNote: "Dieser Knoten wird geleert: Er nimmt keine neuen Peers an.",
  },
} satisfies Translation<typeof en>;
