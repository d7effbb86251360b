import type { Translation } from "../../catalog.js";
import type en from "../en/auth.js";

export default {
  pageTitle: {
    signIn: "登录",
    changePassword: "修改密码",
    twoFactorSetup: "设置两步验证",
  },
  signIn: {
    title: "登录",
    tagline: "wgfleet · WireGuard 集群管理面板",
    expired: "会话已结束，请重新登录。",
    username: "用户名",
    password: "密码",
    submit: "登录",
    busy: "正在登录…",
    code: "验证码",
    codeIntro: "{username} 已启用两步验证。请输入身份验证器应用当前显示的 6 位验证码。",
    codeHelp: "手机丢失？请改为输入一个恢复码。",
    codeWrong: "验证码错误或已被使用。请等待下一个验证码后重试。",
    verify: "验证",
    startOver: "重新开始",
  },
  changePassword: {
    title: "设置你的密码",
    mustChange: "你登录所用的密码是系统生成或由他人设置的。请先设置自己的密码再继续。",
    intro: "修改你的登录密码。",
    submit: "保存并继续",
  },
  passwordForm: {
    current: "当前密码",
    new: "新密码",
    newHelp: "至少 8 个字符；最好使用一句口令。",
    again: "再次输入新密码",
    mismatch: "与新密码不一致。",
    changed: "密码已修改。",
    submit: "修改密码",
  },
  twoFactorSetup: {
    title: "设置两步验证",
    intro: "本面板的管理员登录时除密码外还需输入身份验证器应用中的验证码。请先完成设置再继续。",
  },
} satisfies Translation<typeof en>;
