// Which language the window speaks: the person's choice if they made one, else the system's first
// language the app has, else English. Chosen once at start-up: `t` is a plain object read everywhere
// synchronously, so a new choice reloads the window rather than re-rendering.

/** The languages the app is translated into, each named in itself (what a picker shows). */
export const supportedLanguages = [
  { code: "en", name: "English" },
  { code: "fr", name: "Français" },
  { code: "de", name: "Deutsch" },
  { code: "ar", name: "العربية" },
] as const;

export type LanguageCode = (typeof supportedLanguages)[number]["code"];

/** Where the choice is kept; absent means "follow the system". */
export const LANGUAGE_KEY = "phraseanet.language";

const RIGHT_TO_LEFT: ReadonlySet<LanguageCode> = new Set(["ar"]);

export function isLanguageCode(value: unknown): value is LanguageCode {
  return supportedLanguages.some((l) => l.code === value);
}

/** The primary subtag of a BCP 47 tag: "fr-CA" → "fr". */
function primary(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
}

/** The language to speak: a valid stored choice wins; else the first system language the app has
 *  (by primary subtag, so "de-AT" is German); else English. */
export function pickLanguage(stored: string | null, system: readonly string[]): LanguageCode {
  if (isLanguageCode(stored)) return stored;
  for (const tag of system) {
    const base = primary(tag);
    if (isLanguageCode(base)) return base;
  }
  return "en";
}

/** The system's languages, most preferred first. */
function systemLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

/** The language the system alone would give (what "follow the system" means now). */
export function systemLanguage(): LanguageCode {
  return pickLanguage(null, systemLanguages());
}

/** The stored choice, or null (none, or storage unavailable). */
export function storedLanguage(): LanguageCode | null {
  try {
    const value = globalThis.localStorage?.getItem(LANGUAGE_KEY) ?? null;
    return isLanguageCode(value) ? value : null;
  } catch {
    return null;
  }
}

// Read once: every `t.x` was read with this language, so it must not change under them.
let chosen: LanguageCode | null = null;
let chosenLocale: string | null = null;

/** The language of this window (fixed until the next reload). */
export function currentLanguage(): LanguageCode {
  return (chosen ??= pickLanguage(storedLanguage(), systemLanguages()));
}

/** Keeps a language (or `null`: follow the system again) and reloads the window so every string and
 *  format is read again in it. */
export function setLanguage(code: LanguageCode | null, reload: () => void = () => location.reload()): void {
  try {
    if (code === null) localStorage.removeItem(LANGUAGE_KEY);
    else localStorage.setItem(LANGUAGE_KEY, code);
  } catch {
    // Storage refused: the choice lasts for this window only.
  }
  chosen = null;
  chosenLocale = null;
  reload();
}

export function isRightToLeft(code: LanguageCode): boolean {
  return RIGHT_TO_LEFT.has(code);
}

/** The Intl locale that formats numbers and dates in a language. The system's own tag when it is the
 *  same language ("en-GB" writes 5 Feb 2025, "fr-CH" 10’000), else the bare code. Arabic keeps Latin
 *  digits (`-u-nu-latn`): what ICU gives for plain "ar" changed between versions (Eastern Arabic digits
 *  in older ones, as a webview linked with the system's ICU may be), and record ids, codes and server
 *  text around the numbers are written in Latin digits anyway. */
export function localeFor(code: LanguageCode, system: readonly string[] = systemLanguages()): string {
  const own = system.find((tag) => primary(tag) === code);
  let locale = code as string;
  if (own) {
    try {
      locale = Intl.getCanonicalLocales(own)[0] ?? code;
    } catch {
      locale = code; // not a valid tag
    }
  }
  if (code !== "ar" || /-nu-/.test(locale)) return locale;
  return /-u-/.test(locale) ? `${locale}-nu-latn` : `${locale}-u-nu-latn`;
}

/** The locale formats use by default: the current language's. */
export function currentLocale(): string {
  return (chosenLocale ??= localeFor(currentLanguage()));
}

/** Sets the page's `lang` and `dir` (Arabic lays the whole window out right to left). Called before
 *  the app mounts, so the first paint is already in the right direction. */
export function applyDocumentLanguage(root: HTMLElement = document.documentElement, code = currentLanguage()): void {
  root.lang = code;
  root.dir = isRightToLeft(code) ? "rtl" : "ltr";
}
