// German first-run guide: registering the app in Phraseanet. The labels in bold and in the drawings are
// those of Phraseanet's own German translation (resources/locales/messages.de.xlf), so people find them.
import type { Strings } from "../i18n";

export const deGuideSteps: Strings["guideSteps"] = [
  {
    title: "Den Reiter Entwickler öffnen",
    alt: "Phraseanet im Browser: Ihr Name oben rechts öffnet Ihr Benutzerkonto, dessen letzter Reiter Entwickler ist.",
    body: [
      ["Melden Sie sich wie gewohnt im Browser bei Ihrem Phraseanet an."],
      ["Klicken Sie oben rechts auf ", { b: "Ihren Namen" }, " („Mein Benutzerkonto“): Ihr Konto öffnet sich in einem neuen Tab."],
      ["Wählen Sie den Reiter ", { b: "Entwickler" }, "."],
    ],
    note: { kind: "tip", text: ["Abkürzung: Hängen Sie ", { code: "/developers/applications/" }, " an die Adresse Ihres Servers an."] },
  },
  {
    title: "Eine neue Anwendung erstellen",
    alt: "Der Reiter Entwickler, Phraseanet Developer Center, mit der Schaltfläche eine neue Anwendung erstellen.",
    body: [
      ["Klicken Sie unter „Phraseanet Developer Center“ auf ", { b: "eine neue Anwendung erstellen" }, "."],
      ["Schon eine für diese App angelegt? Klicken Sie stattdessen auf ihren Namen: Ihre Seite zeigt, was Schritt 4 kopiert."],
    ],
    note: null,
  },
  {
    title: "Das Formular ausfüllen und den Typ wählen",
    alt: "Das Phraseanet-Formular Neue Client Anwendung: Name, Beschreibung, Webseite, Anwendungstyp und Callback URL.",
    body: [
      ["Phraseanet fragt nach:"],
      {
        list: [
          [{ b: "Name" }, " — wird angezeigt, wenn Phraseanet um die Freigabe der Anwendung bittet, z. B. „Phraseanet Desktop“."],
          [{ b: "Beschreibung" }, " — ein kurzer Text, den die Benutzer im Reiter Anwendungen ihres Kontos sehen."],
          [{ b: "Webseite" }, " — Pflichtfeld: irgendeine Seite von Ihnen, etwa die Website Ihrer Organisation."],
          [
            { b: "Desktopanwendung" },
            " — Phraseanet zeigt einen Code, den Sie in diese App einfügen. Ihre Callback-Adresse ist ",
            { code: "urn:ietf:wg:oauth:2.0:oob" },
            " und wird für Sie eingetragen.",
          ],
          [
            { b: "Webanwendung" },
            " mit der Callback URL ",
            { code: "http://127.0.0.1" },
            " (wählen Sie http:// und tippen Sie 127.0.0.1, nichts dahinter) — der Browser kehrt von selbst zu dieser App zurück: nichts einzufügen.",
          ],
        ],
      },
      ["Klicken Sie dann auf ", { b: "Bestätigen" }, "."],
    ],
    note: {
      kind: "tip",
      text: ["Wählen Sie im Formular dieser App unter „Art der registrierten Anwendung“ denselben Typ: ", { b: "Desktop" }, " oder ", { b: "Web" }, "."],
    },
  },
  {
    title: "Client ID und Client Secret kopieren",
    alt: "Die Seite der Anwendung in Phraseanet: ihre Tabelle OAuth Einstellungen, mit Kennung und Geheimnis in den ersten beiden Zeilen.",
    body: [
      ["Bestätigen öffnet die Seite der Anwendung. Kopieren Sie unter ", { b: "OAuth Einstellungen" }, " die ", { b: "Client ID" }, " und das ", { b: "Client Secret" }, " in das Formular dieser App."],
      ["Die Zeile ", { b: "Callback URL" }, " erinnert an den Typ: ", { code: "urn:ietf:wg:oauth:2.0:oob" }, " für Desktop, ", { code: "http://127.0.0.1" }, " für Web."],
    ],
    note: {
      kind: "warn",
      text: [{ b: "Geben Sie das Secret niemals weiter." }, " Wer es hat, kann sich als Ihre Anwendung ausgeben. Diese App bewahrt es im Schlüsselbund des Systems auf, nie auf der Festplatte."],
    },
  },
  {
    title: "Das Entwickler-Token und der Password Grant",
    alt: "Weiter unten auf der Seite der Anwendung: das Kästchen, das den Password Grant aktiviert, und Ihr Zugriff Token mit der Schaltfläche erstellen.",
    body: [
      [
        { b: "Ihr Zugriff Token" },
        " → ",
        { b: "erstellen" },
        " erzeugt ein Token Ihres eigenen Kontos, als Ersteller der Anwendung. Es ist für Entwicklung und automatisierte Abläufe (Skripte, Tests) gedacht: Es läuft nicht ab, und wer es besitzt, handelt in Ihrem Namen. Diese App nimmt es unter „Andere Anmeldewege“ an, aber Sie brauchen es nicht.",
      ],
      [
        { b: "Passwort Typgenehmigung grant_type für Ihre Anwendung aktivieren" },
        ": Lassen Sie das Kästchen leer. Damit fragt eine App nach Ihrem Phraseanet-Passwort und sieht es. Es wird für jede Anwendung einzeln eingestellt.",
      ],
    ],
    note: { kind: "tip", text: ["Melden Sie sich lieber über den Browser an: Ihr Passwort bleibt zwischen Ihnen und Phraseanet."] },
  },
];

export const deGuideScreen: Strings["guideScreen"] = {
  myAccount: "Mein Benutzerkonto",
  tabs: ["Informationen", "Zugriff", "Sitzungen", "Anwendungen", "Entwickler"],
  clientApps: "Client Anwendungen",
  myApps: "meine Anwendungen",
  noApps: "Keine Anwendung erstellt",
  createLead: "Erstellen Sie zuerst eine Anwendung, um das Phraseanet API danach zu benutzen.",
  create: "eine neue Anwendung erstellen",
  newApp: "Neue Client Anwendung",
  name: "Name",
  caption: "Beschreibung",
  website: "Webseite",
  type: "Anwendungstyp",
  web: "Webanwendung",
  desktop: "Desktopanwendung",
  callback: "Callback URL",
  validate: "Bestätigen",
  back: "Zurück",
  application: "Anwendung",
  oauth: "OAuth Einstellungen",
  grant: "Passwort Typgenehmigung grant_type für Ihre Anwendung aktivieren",
  accessToken: "Ihr Zugriff Token",
  token: "Token",
  notYet: "das Token wurde nicht noch erstellt",
  generate: "erstellen",
  sampleCaption: "Meine Sammelkörbe und Medien, auf meinem Desktop",
};
