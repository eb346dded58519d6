// UI strings, one table per language. English is the reference: every other table must have the
// same keys (checked by the type below and by i18n.test.ts).

const en = {
  appName: "Phraseanet Desktop",
  tagline: "Your Phraseanet baskets and media, on your desktop.",
  checkEngine: "Check the engine",
  checking: "Checking…",
  engineAnswer: (name: string, version: string, api: string) => `${name} ${version} speaks ${api}.`,
  engineFailed: "The app's engine did not answer. Restart the app; if it happens again, report it.",
};

export type Strings = typeof en;

const fr: Strings = {
  appName: "Phraseanet Desktop",
  tagline: "Vos paniers et médias Phraseanet, sur votre bureau.",
  checkEngine: "Vérifier le moteur",
  checking: "Vérification…",
  engineAnswer: (name, version, api) => `${name} ${version} parle ${api}.`,
  engineFailed: "Le moteur de l'application n'a pas répondu. Redémarrez l'application ; si cela se reproduit, signalez-le.",
};

export const languages = { en, fr } as const;
export type Language = keyof typeof languages;

/** Picks the table for a BCP 47 tag such as "fr-FR"; English when the language is not translated. */
export function stringsFor(tag: string | undefined): Strings {
  const base = (tag ?? "en").toLowerCase().split("-")[0] as Language;
  return languages[base] ?? en;
}

export const t: Strings = stringsFor(typeof navigator === "undefined" ? "en" : navigator.language);
