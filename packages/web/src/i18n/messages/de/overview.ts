import type { Translation } from "../../catalog.js";
import type en from "../en/overview.js";

export default {
  pageTitle: "Übersicht",
  refreshed: "Wird alle 10 Sekunden aktualisiert, solange dieser Tab offen ist.",
  publicAddress: {
    title: "Wohin verbinden sich Clients mit diesem Server?",
    text: "Die Client-Konfigurationen dieses Servers lassen Clients sich mit {host} verbinden, seinem Hostnamen, den Clients anderswo selten erreichen. Legen Sie seinen öffentlichen Namen oder seine IP-Adresse fest.",
    set: "Öffentliche Adresse festlegen",
  },
  noNode: "Noch kein Knoten: Peers brauchen einen Knoten, auf dem WireGuard läuft.",
  addNode: "Knoten hinzufügen",
  totals: "Summen",
  nodesOnline: "Knoten online",
  peersOnline: "Peers online",
  trafficNow: "Verkehr jetzt (ein / aus)",
  trafficNowPending: "Erscheint nach zwei Abfragen der Live-Statistik.",
  trafficToday: "Verkehr heute (ein / aus)",
  trafficTodayHelp: "Seit Mitternacht; Neustarts eines Interfaces setzen ihn nicht zurück.",
  nodes: "Knoten",
  allNodes: "Alle Knoten",
  nodeColumns: {
    node: "Knoten",
    status: "Status",
    peers: "Peers",
    now: "Jetzt (ein / aus)",
    today: "Heute (ein / aus)",
    lastSeen: "Zuletzt gesehen",
  },
  thisServer: "dieser Server",
  configurations: "Konfigurationen",
  allConfigurations: "Alle Konfigurationen",
  noConfiguration: "Noch keine Konfiguration. {link}.",
  createOne: "Jetzt anlegen",
  configurationColumns: {
    configuration: "Konfiguration",
    peers: "Peers online / gesamt",
    interfaces: "Interfaces",
  },
  poolUsage: "Pool-Auslastung",
  poolColumns: {
    pool: "Pool",
    node: "Knoten",
    used: "Belegt",
  },
  poolLabel: "Auslastung von {cidr}",
} satisfies Translation<typeof en>;
