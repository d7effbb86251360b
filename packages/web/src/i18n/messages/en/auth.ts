// Signing in and choosing a password.
export default {
  pageTitle: {
    signIn: "Sign in",
    changePassword: "Change your password",
    twoFactorSetup: "Set up two-factor sign-in",
  },
  signIn: {
    title: "Sign in",
    tagline: "wgfleet · WireGuard fleet dashboard",
    expired: "Your session ended. Sign in again.",
    username: "Username",
    password: "Password",
    submit: "Sign in",
    busy: "Signing in…",
    code: "Code",
    codeIntro: "{username} uses two-factor sign-in. Enter the 6-digit code your authenticator app shows now.",
    codeHelp: "Lost your phone? Enter one of your recovery codes instead.",
    codeWrong: "The code is wrong or was already used. Wait for the next code and try again.",
    verify: "Verify",
    startOver: "Start over",
  },
  changePassword: {
    title: "Choose your password",
    mustChange: "The password you signed in with was generated or set for you. Choose your own to continue.",
    intro: "Change the password you sign in with.",
    submit: "Save and continue",
  },
  passwordForm: {
    current: "Current password",
    new: "New password",
    newHelp: "At least 8 characters; a passphrase is best.",
    again: "New password again",
    mismatch: "Does not match the new password.",
    changed: "Password changed.",
    submit: "Change password",
  },
  twoFactorSetup: {
    title: "Set up two-factor sign-in",
    intro:
      "Admins of this dashboard must sign in with a code from an authenticator app as well as their password. Set it up to continue.",
  },
};
