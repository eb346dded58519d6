// Counted words in each language's own grammar (Intl.PluralRules): English has one/other, French
// counts 0 as one, Arabic has zero/one/two/few/many/other.
import { currentLanguage, localeFor, type LanguageCode } from "./locale";

/** The wordings of a count by plural category; `#` stands for the number, written the language's way.
 *  `other` is required: a category a language lacks falls back to it. Forms are the table's own text:
 *  keep names and other server text outside them (a `#` in a basket's name is no number). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();
const numbers = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}

/** A number written the way a language writes it (10 000 in French). */
export function formatCount(n: number, language: LanguageCode = currentLanguage()): string {
  return cached(numbers, language, () => new Intl.NumberFormat(localeFor(language))).format(n);
}

/** `n` with the wording its plural category takes in `language` (by default the window's). A table
 *  passes its own language: its grammar is that language's whatever the window speaks. */
export function plural(n: number, forms: PluralForms, language: LanguageCode = currentLanguage()): string {
  // Plural rules depend on the language, not the region: the bare code is enough.
  const category = cached(rules, language, () => new Intl.PluralRules(language)).select(n);
  const form = forms[category] ?? forms.other;
  return form.replaceAll("#", formatCount(n, language));
}
