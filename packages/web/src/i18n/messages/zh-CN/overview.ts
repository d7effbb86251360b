import type { Translation } from "../../catalog.js";
import type en from "../en/overview.js";

export default {
  pageTitle: "概览",
  refreshed: "此标签页打开时每 10 秒刷新一次。",
  publicAddress: {
    title: "客户端连接到此服务器的哪个地址？",
    text: "此服务器的客户端配置让客户端连接到 {host}，即它的主机名，其他地方的客户端很少能访问到。请设置它的公网名称或 IP 地址。",
    set: "设置公网地址",
  },
  noNode: "还没有节点：对等端需要一个运行 WireGuard 的节点。",
  addNode: "添加节点",
  totals: "总计",
  nodesOnline: "在线节点",
  peersOnline: "在线对等端",
  trafficNow: "当前流量（入 / 出）",
  trafficNowPending: "实时统计轮询两次后显示。",
  trafficToday: "今日流量（入 / 出）",
  trafficTodayHelp: "自午夜起计算；接口重启不会清零。",
  nodes: "节点",
  allNodes: "所有节点",
  nodeColumns: {
    node: "节点",
    status: "状态",
    peers: "对等端",
    now: "当前（入 / 出）",
    today: "今日（入 / 出）",
    lastSeen: "最近在线",
  },
  thisServer: "本服务器",
  configurations: "配置",
  allConfigurations: "所有配置",
  noConfiguration: "还没有配置。{link}。",
  createOne: "新建一个",
  configurationColumns: {
    configuration: "配置",
    peers: "在线 / 总对等端",
    interfaces: "接口",
  },
  poolUsage: "地址池使用情况",
  poolColumns: {
    pool: "地址池",
    node: "节点",
    used: "已用",
  },
  poolLabel: "{cidr} 使用情况",
} satisfies Translation<typeof en>;
