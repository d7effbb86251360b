import type { Translation } from "../../catalog.js";
import type en from "../en/charts.js";

export default {
  title: "流量",
  rangeLabel: "时间范围",
  ranges: {
    hour: "小时",
    day: "天",
    week: "周",
    month: "月",
    year: "年",
  },
  rangeTitles: {
    hour: "最近 1 小时",
    day: "最近 24 小时",
    week: "最近 7 天",
    month: "最近 30 天",
    year: "最近 365 天",
  },
  received: "接收",
  sent: "发送",
  time: "时间",
  summary: "{range}：接收 {rx}，发送 {tx}。",
  chartLabel: "流量图，每秒接收和发送的数据量。{summary}",
  empty: "此时间范围内没有流量",
  handshakes: {
    title: "握手",
    label: "握手时间线",
    count: "此时间范围内有 {count} 次握手，最近一次在 {latest}。",
    never: "从未：此时间范围内没有握手",
  },
} satisfies Translation<typeof en>;
