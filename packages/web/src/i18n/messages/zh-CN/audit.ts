import type { Translation } from "../../catalog.js";
import type en from "../en/audit.js";

export default {
  title: "审计日志",
  intro:
    "通过 API 或本应用所做的每一项更改：谁、何时、从哪个地址，以及哪些字段发生了变化。密钥等机密从不显示，只显示其已更改。",
  filters: {
    actor: "用户或 API 密钥",
    actorHelp: "完整名称。",
    entity: "类型",
    anyEntity: "任意类型",
    action: "操作",
    actionHelp: "例如 peer.update，或用 peer 匹配所有对等端操作。",
    from: "开始",
    to: "结束",
    apply: "应用筛选",
    reset: "重置",
  },
  entities: {
    peer: "对等端",
    configuration: "配置",
    interface: "接口",
    node: "节点",
    user: "用户",
    apikey: "API 密钥",
    session: "登录",
  },
  columns: {
    when: "时间",
    who: "操作者",
    what: "内容",
    changes: "更改",
    address: "地址",
  },
  viaKey: "使用 API 密钥 {key}",
  secretChanged: "已更改",
  empty: "没有匹配的条目。",
  more: "更早的条目",
} satisfies Translation<typeof en>;
