// 登录页上通过组织的身份提供方（OpenID Connect）进行单点登录。
export default {
  button: "使用 {label} 登录",
  orPassword: "或通过你所在组织的身份提供方登录：",
  onlySso: "请通过你所在组织的身份提供方登录。",
  refused: {
    expired: "单点登录耗时过长，或是在另一个浏览器中发起的。请重试。",
    failed: "单点登录失败：身份提供方拒绝了请求或无法访问。请重试，或联系管理员。",
    noRole: "你在身份提供方的账号没有 wgfleet 的访问权限。请联系管理员为你分配角色。",
    notLinked: "你的身份尚未关联到任何 wgfleet 用户。请联系管理员进行关联。",
    lastAdmin: "身份提供方已不再授予你管理员角色，但你是这里最后一位管理员。请联系管理员。",
    subject: "你在身份提供方的标识：{subject}",
  },
};
