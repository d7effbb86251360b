// Traffic charts (peer, configuration, node and Overview pages) and the peer's handshake timeline.
export default {
  title: "Traffic",
  rangeLabel: "Time range",
  ranges: {
    hour: "Hour",
    day: "Day",
    week: "Week",
    month: "Month",
    year: "Year",
  },
  rangeTitles: {
    hour: "Last hour",
    day: "Last 24 hours",
    week: "Last 7 days",
    month: "Last 30 days",
    year: "Last 365 days",
  },
  received: "Received",
  sent: "Sent",
  time: "Time",
  summary: "{range}: {rx} received, {tx} sent.",
  chartLabel: "Traffic chart, received and sent per second. {summary}",
  empty: "No traffic in this range",
  handshakes: {
    title: "Handshakes",
    label: "Handshake timeline",
    count:
      "One handshake in this range, the latest {latest}. | {count} handshakes in this range, the latest {latest}.",
    never: "Never: no handshake in this range",
  },
};
