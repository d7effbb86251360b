import type { Translation } from "../../catalog.js";
import type en from "../en/charts.js";

export default {
  title: "Verkehr",
  rangeLabel: "Zeitraum",
  ranges: {
    hour: "Stunde",
    day: "Tag",
    week: "Woche",
    month: "Monat",
    year: "Jahr",
  },
  rangeTitles: {
    hour: "Letzte Stunde",
    day: "Letzte 24 Stunden",
    week: "Letzte 7 Tage",
    month: "Letzte 30 Tage",
    year: "Letzte 365 Tage",
  },
  received: "Empfangen",
  sent: "Gesendet",
  time: "Zeit",
  summary: "{range}: {rx} empfangen, {tx} gesendet.",
  chartLabel: "Verkehrsdiagramm, empfangen und gesendet pro Sekunde. {summary}",
  empty: "Kein Verkehr in diesem Zeitraum",
  handshakes: {
    title: "Handshakes",
    label: "Zeitleiste der Handshakes",
    count:
      "Ein Handshake in diesem Zeitraum, der letzte {latest}. | {count} Handshakes in diesem Zeitraum, der letzte {latest}.",
    never: "Nie: kein Handshake in diesem Zeitraum",
  },
} satisfies Translation<typeof en>;
