import type { Translation } from "../../catalog.js";
import type en from "../en/auth.js";

export default {
  pageTitle: {
    signIn: "Anmelden",
    changePassword: "Passwort ändern",
    twoFactorSetup: "Zwei-Faktor-Anmeldung einrichten",
  },
  signIn: {
    title: "Anmelden",
    tagline: "wgfleet · Dashboard für WireGuard-Flotten",
    expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    username: "Benutzername",
    password: "Passwort",
    submit: "Anmelden",
    busy: "Anmeldung läuft…",
    code: "Code",
    codeIntro:
      "{username} meldet sich mit zwei Faktoren an. Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App gerade zeigt.",
    codeHelp: "Telefon verloren? Geben Sie stattdessen einen Ihrer Wiederherstellungscodes ein.",
    codeWrong:
      "Der Code ist falsch oder wurde schon verwendet. Warten Sie auf den nächsten Code und versuchen Sie es erneut.",
    verify: "Bestätigen",
    startOver: "Neu beginnen",
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
  twoFactorSetup: {
    title: "Zwei-Faktor-Anmeldung einrichten",
    intro:
      "Admins dieses Dashboards melden sich zusätzlich zum Passwort mit einem Code aus einer Authenticator-App an. Richten Sie sie ein, um fortzufahren.",
  },
} satisfies Translation<typeof en>;
