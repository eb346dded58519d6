// German next steps by error code (the backend's English hint is only the fallback).
import type { ErrorCode } from "../bindings/ErrorCode";

export const deHints = {
  redirected: "Verwenden Sie als Serveradresse die, auf die er weiterleitet (oft die https-Version).",
  "bad-request": null,
  decode: "Die Antwort des Servers war unerwartet: Versuchen Sie es erneut oder melden Sie es den Entwicklern.",
  "too-large": "Die Antwort wurde abgeschnitten, um den Speicher zu schützen: Grenzen Sie die Anfrage ein.",
  "not-a-story": "Öffnen Sie es stattdessen als Dokument.",
  "invalid-url": "Geben Sie eine Adresse wie https://dam.example.org ein.",
  "access-denied": "Melden Sie sich erneut an und wählen Sie „Zulassen“.",
  "https-required": "Verwenden Sie die https://-Adresse des Servers.",
  "unsupported-grant":
    "Bitten Sie den Entwickler der Anwendung, diese Methode zu aktivieren, oder melden Sie sich über den Browser an.",
  oauth: "Prüfen Sie die Kennung der Anwendung und die Adresse des Servers.",
  "oauth-error-page": "Prüfen Sie die Kennung der Anwendung und die Adresse des Servers.",
  keyring: "Prüfen Sie, ob der Schlüsselbund des Systems entsperrt ist, und versuchen Sie es erneut.",
  "profile-not-found": "Lassen Sie die Profile anzeigen oder legen Sie dieses zuerst an.",
  "invalid-profile": "Korrigieren Sie die Einstellungen des Profils.",
  io: "Prüfen Sie, ob der Ordner existiert, beschreibbar ist und genug Platz hat.",
  cancelled: null,
  "no-such-subdef": "Wählen Sie eine der Unterdefinitionen, die das Dokument anbietet.",
  network: "Prüfen Sie die Adresse des Servers und Ihre Netzwerkverbindung und versuchen Sie es erneut.",
  timeout: "Der Server ist langsam oder nicht erreichbar: Versuchen Sie es später noch einmal.",
  tls: "Das Zertifikat des Servers wird nicht anerkannt: Prüfen Sie die Adresse oder fragen Sie den Administrator.",
  "not-phraseanet": "Prüfen Sie die Adresse: Es muss die Wurzel einer Phraseanet-Website sein.",
  "signed-out": "Melden Sie sich bei diesem Profil erneut an.",
  "not-signed-in": "Melden Sie sich bei diesem Profil erneut an.",
  unauthorized: "Bitten Sie den Administrator des Servers um Zugriffsrechte.",
  forbidden: "Bitten Sie den Administrator des Servers um Zugriffsrechte.",
  "not-found": "Es wurde vielleicht gelöscht: Aktualisieren Sie die Liste.",
  server: "Versuchen Sie es später erneut; wenn es anhält, informieren Sie den Administrator des Servers.",
  "insecure-http": "Verwenden Sie die https://-Adresse des Servers.",
  "expired-code":
    "Der Code gilt nur 30 Sekunden: Öffnen Sie die Anmeldeseite erneut und fügen Sie den neuen Code schnell ein.",
  "invalid-code": "Fügen Sie den Zugangscode ein, den die Anmeldeseite zeigt (32 Buchstaben und Ziffern).",
  "invalid-grant": "Holen Sie einen neuen Code (oder prüfen Sie Benutzername und Passwort) und versuchen Sie es erneut.",
  "invalid-client": "Prüfen Sie Kennung und Secret der Anwendung (in Phraseanet: Seite Anwendungen).",
  "keyring-unavailable":
    "Starten und entsperren Sie den Schlüsselbund des Systems, oder wählen Sie eine Anmeldung nur für diese Sitzung.",
  "token-transport":
    "Bitten Sie den Administrator, den Authorization-Header an PHP weiterzugeben (Apache: „CGIPassAuth On“) oder das Token als Parameter anzunehmen.",
  "api-disabled":
    "Bitten Sie den Administrator, die API zu aktivieren (Phraseanet-Administration: Setup, API, „api-enabled“).",
  "cut-off": "Die Verbindung oder der Server ist während der Übertragung ausgefallen: Versuchen Sie es gleich noch einmal.",
  stalled: "Die Verbindung oder der Server ist während der Übertragung ausgefallen: Versuchen Sie es gleich noch einmal.",
  "broken-answer":
    "Die Verbindung oder der Server ist während der Übertragung ausgefallen: Versuchen Sie es gleich noch einmal.",
  "server-time-limit":
    "Sehr große Sammelkörbe überschreiten manchmal das Zeitlimit des Servers: Bitten Sie den Administrator, max_execution_time zu erhöhen, oder teilen Sie den Sammelkorb auf.",
  "deep-page": "Verfeinern Sie die Suche, um weniger Ergebnisse zu erhalten.",
  "rate-limited": "Warten Sie einen Moment und versuchen Sie es erneut.",
  "basket-list-broken":
    "Bitten Sie den Administrator, Ihre Sammelkörbe zu prüfen (ein Feedback-Sammelkorb, dessen Initiator gelöscht wurde, blockiert die Liste).",
  "not-a-desktop-app":
    "Legen Sie in Ihrem Phraseanet-Konto auf der Seite Anwendungen eine Desktopanwendung an (Callback urn:ietf:wg:oauth:2.0:oob) und verwenden Sie deren Kennung.",
  "https-not-seen":
    "Bitten Sie den Administrator, den TLS-Proxy als vertrauenswürdig einzutragen: Die verwendete Adresse ist bereits https.",
  "not-a-web-app":
    "Wählen Sie „Desktop“ (Code einfügen), oder legen Sie in Ihrem Phraseanet-Konto (Anwendungen) eine Webanwendung mit der Callback URL http://127.0.0.1 an.",
  "sign-in-timed-out": "Starten Sie die Anmeldung neu und schließen Sie sie im sich öffnenden Browser ab.",
  "invalid-input": "Korrigieren Sie die Eingabe und versuchen Sie es erneut.",
  "not-supported":
    "Dafür ist Phraseanet 4.0 oder neuer nötig: Verwenden Sie die Weboberfläche des Servers, oder bitten Sie den Administrator, ihn zu aktualisieren.",
  desktop: "Prüfen Sie, ob ein Browser und ein Dateimanager installiert und als Standard gewählt sind.",
  "download-folder": "Wählen Sie einen anderen Download-Ordner (einen vorhandenen Ordner, in den Sie schreiben dürfen).",
  "demo-server": "Starten Sie die App neu, oder verbinden Sie Ihren eigenen Phraseanet-Server.",
  internal: "Versuchen Sie es erneut. Wenn es wieder passiert, starten Sie die App neu und melden Sie das Problem.",
} satisfies Record<ErrorCode, string | null>;
