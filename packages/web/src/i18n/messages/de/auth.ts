import type { Translation } from "../../catalog.js";
import type en from "../en/auth.js";

export default {
  pageTitle: {
    signIn: "Anmelden",
    changePassword: "Passwort ändern",
  },
  signIn: {
    title: "Anmelden",
    tagline: "wgfleet · Dashboard für WireGuard-Flotten",
    expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    username: "Benutzername",
    password: "Passwort",
    submit: "Anmelden",
    busy: "Anmeldung läuft…",
  },
  changePassword: {
    title: "Eigenes Passwort wählen",
    mustChange:
      "Das Passwort, mit dem Sie sich angemeldet haben, wurde erzeugt oder für Sie festgelegt. Wählen Sie ein eigenes, um fortzufahren.",
    intro: "Ändern Sie das Passwort, mit dem Sie sich anmelden.",
    submit: "Speichern und weiter",
  },
  passwordForm: {
    current: "Aktuelles Passwort",
    new: "Neues Passwort",
    newHelp: "Mindestens 8 Zeichen; am besten eine Passphrase.",
    again: "Neues Passwort wiederholen",
    mismatch: "Stimmt nicht mit dem neuen Passwort überein.",
    changed: "Passwort geändert.",
    submit: "Passwort ändern",
  },
} satisfies Translation<typeof en>;
