// Who is signed in, their role, and the CSRF token writes need. The cookie itself is HttpOnly: this
// store only knows what GET/POST /api/v1/session said (GET answers `{authenticated: false}` when
// nobody is, so the first visit's probe is no failed request). A 401 from any request ends it here too; a 403
// PASSWORD_CHANGE_REQUIRED marks the user as having to choose a password (the app then goes there).
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import {
  api,
  forgetAnswers,
  setCsrfToken,
  setPasswordChangeRequiredHandler,
  setTotpEnrolmentRequiredHandler,
  setUnauthorizedHandler,
} from "../api/client.js";
import type { Session, User } from "../api/types.js";

export const useSessionStore = defineStore("session", () => {
  const session = ref<Session | null>(null);
  /** The first GET /api/v1/session has answered (signed in or not). */
  const checked = ref(false);
  /** Set when a request found the session gone: the sign-in page says so. */
  const expired = ref(false);

  const user = computed<User | null>(() => session.value?.user ?? null);
  const isAdmin = computed(() => user.value?.role === "admin");
  const mustChangePassword = computed(() => user.value?.mustChangePassword === true);
  /** Signed in, but the policy requires two-factor sign-in first (the app goes to set it up). */
  const mustEnrolTotp = computed(() => session.value?.mustEnrolTotp === true);

  function adopt(next: Session | null): void {
    if (!next) forgetAnswers();
    session.value = next;
    setCsrfToken(next?.csrfToken ?? null);
  }

  setUnauthorizedHandler(() => {
    if (session.value) expired.value = true;
    adopt(null);
  });

  setPasswordChangeRequiredHandler(() => {
    const current = session.value;
    if (current && !current.user.mustChangePassword) {
      session.value = { ...current, user: { ...current.user, mustChangePassword: true } };
    }
  });

  setTotpEnrolmentRequiredHandler(() => {
    if (session.value) session.value = { ...session.value, mustEnrolTotp: true };
  });

  let restoring: Promise<void> | null = null;
  /** Asks the server once whether the cookie still holds a session. */
  function restore(): Promise<void> {
    restoring ??= api
      .currentSession()
      .then((answer) => adopt(answer.authenticated ? answer : null))
      .finally(() => {
        checked.value = true;
      });
    return restoring;
  }

  /** Throws ApiError TOTP_REQUIRED when the user has two-factor sign-in and `totp` is missing. */
  async function login(username: string, password: string, totp?: string): Promise<void> {
    adopt(await api.login(username, password, totp));
    expired.value = false;
    checked.value = true;
  }

  async function logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      adopt(null);
    }
  }

  /** Two-factor sign-in was set up: the user is free to go anywhere. */
  function totpEnabled(): void {
    if (session.value) {
      session.value = {
        ...session.value,
        mustEnrolTotp: false,
        user: { ...session.value.user, totpEnabled: true },
      };
    }
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const updated = await api.changeOwnPassword({ currentPassword, newPassword });
    if (session.value) session.value = { ...session.value, user: updated };
  }

  return {
    session,
    checked,
    expired,
    user,
    isAdmin,
    mustChangePassword,
    mustEnrolTotp,
    restore,
    totpEnabled,
    login,
    logout,
    changePassword,
  };
});
