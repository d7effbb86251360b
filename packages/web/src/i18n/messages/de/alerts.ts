// Die Alarm-Seite, das Banner auf jeder Seite, solange Alarme aktiv sind, und die Pool-Prognose.
export default {
  pageTitle: "Alarme",
  intro:
    "Was in der Flotte Aufmerksamkeit braucht: Knoten offline oder mit Problemen, volllaufende Adresspools, Knoten, die ständig Abweichungen reparieren, und Peers, die ihren Tunnel verlieren. Ein Alarm endet von selbst, sobald die Ursache behoben ist.",
  banner: "{count} Alarm ist aktiv | {count} Alarme sind aktiv",
  bannerLink: "Alarme anzeigen",
  empty: "Keine Alarme. Alles in Ordnung.",
  filter: {
    label: "Anzeigen",
    all: "Aktive und behobene",
    firing: "Aktiv",
    resolved: "Behoben",
  },
  state: {
    firing: "Aktiv",
    resolved: "Behoben",
  },
  kinds: {
    node_offline: "Knoten offline",
    node_degraded: "Knoten mit Problemen",
    pool_full: "Pool fast voll",
    drift_repairs: "Wiederholte Reparaturen",
    handshakes_stale: "Peers ohne Handshake",
  },
  columns: {
    state: "Zustand",
    kind: "Alarm",
    what: "Was",
    fired: "Ausgelöst",
    resolved: "Behoben",
  },
  settings: {
    title: "Schwellenwerte",
    intro:
      "Wann ein Alarm ausgelöst wird. Die nächste Prüfung (innerhalb eines Health-Intervalls) nutzt die neuen Werte.",
    poolFullPercent: "Pool fast voll ab (%)",
    poolFullPercentHelp: "Anteil belegter Adressen eines Pools, 1–100.",
    driftRepairsPerHour: "Reparaturen pro Stunde",
    driftRepairsPerHourHelp: "Reparaturen auf einem Knoten innerhalb einer Stunde, 1–10.000.",
    staleHandshakePercent: "Peers ohne Handshake (%)",
    staleHandshakePercentHelp:
      "Anteil der Peers, die schon verbunden waren, aber seit 3 Minuten keinen Handshake hatten, 1–100.",
    saved: "Alarm-Schwellenwerte gespeichert",
  },
  forecast: {
    days: "voll in ~{days} Tag beim Tempo der letzten 7 Tage | voll in ~{days} Tagen beim Tempo der letzten 7 Tage",
  },
};
