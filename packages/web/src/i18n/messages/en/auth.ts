// Signing in and choosing a password.
export default {
  pageTitle: {
    signIn: "Sign in",
    changePassword: "Change your password",
  },
  signIn: {
    title: "Sign in",
    tagline: "wgfleet · WireGuard fleet dashboard",
    expired: "Your session ended. Sign in again.",
    username: "Username",
    password: "Password",
    submit: "Sign in",
    busy: "Signing in…",
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
};
