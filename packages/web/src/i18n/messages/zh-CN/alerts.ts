// 告警页面、有告警触发时每个页面显示的横幅，以及地址池预测。
export default {
  pageTitle: "告警",
  intro:
    "集群中需要关注的情况：节点离线或降级、地址池即将用尽、节点反复修复配置漂移、对等端失去隧道。原因消除后告警会自动解除。",
  banner: "{count} 个告警正在触发 | {count} 个告警正在触发",
  bannerLink: "查看告警",
  empty: "没有告警，一切正常。",
  filter: {
    label: "显示",
    all: "触发中和已解除",
    firing: "触发中",
    resolved: "已解除",
  },
  state: {
    firing: "触发中",
    resolved: "已解除",
  },
  kinds: {
    node_offline: "节点离线",
    node_degraded: "节点降级",
    pool_full: "地址池即将用尽",
    drift_repairs: "反复修复漂移",
    handshakes_stale: "对等端无握手",
  },
  columns: {
    state: "状态",
    kind: "告警",
    what: "内容",
    fired: "触发时间",
    resolved: "解除时间",
  },
  settings: {
    title: "阈值",
    intro: "告警何时触发。下一次检查（一个健康检查间隔内）将使用新值。",
    poolFullPercent: "地址池用量告警（%）",
    poolFullPercentHelp: "地址池已用地址的比例，1–100。",
    driftRepairsPerHour: "每小时漂移修复次数",
    driftRepairsPerHourHelp: "一个节点一小时内的修复次数，1–10000。",
    staleHandshakePercent: "无握手对等端（%）",
    staleHandshakePercentHelp: "曾经连接过但 3 分钟内没有握手的对等端比例，1–100。",
    saved: "告警阈值已保存",
  },
  forecast: {
    days: "按最近 7 天的速度约 {days} 天后用尽 | 按最近 7 天的速度约 {days} 天后用尽",
  },
};
