import { describe, expect, it } from "vitest";
import { languages, stringsFor, type Strings } from "./i18n";
import type { ErrorCode } from "./bindings/ErrorCode";

/** Guide text: strings with inline emphasis and code. Its parts may differ between languages (word
 *  order), but never its codes, which are typed or copied as they are. */
function isRich(value: unknown[]): boolean {
  return value.every((p) => typeof p === "string" || (typeof p === "object" && p !== null && ("b" in p || "code" in p)));
}

const codesOf = (rich: unknown[]) => rich.flatMap((p) => (typeof p === "object" && p && "code" in p ? [p.code] : []));

// Sample arguments for a string function: numbers first (counts), then text (names) if those throw.
function callWithSamples(fn: (...args: unknown[]) => unknown): unknown {
  try {
    return fn(...Array(fn.length).fill(3));
  } catch {
    return fn(...Array(fn.length).fill("x"));
  }
}

/** Where `other` differs in shape from `reference`, or holds an empty text: one line per problem. */
function differences(reference: unknown, other: unknown, path: string): string[] {
  if (typeof reference === "function") {
    if (typeof other !== "function") return [`${path}: not a function`];
    const text = callWithSamples(other as (...args: unknown[]) => unknown);
    return typeof text === "string" && text.trim() ? [] : [`${path}(): empty`];
  }
  if (typeof reference === "string") return typeof other === "string" && other.trim() ? [] : [`${path}: empty or missing`];
  if (reference === null) return other === null ? [] : [`${path}: should be null`];
  if (Array.isArray(reference)) {
    if (!Array.isArray(other)) return [`${path}: not an array`];
    if (isRich(reference)) {
      if (!isRich(other)) return [`${path}: not guide text`];
      const empty = other.some((p) => typeof p === "string" ? false : !Object.values(p as object)[0]);
      const codes = JSON.stringify(codesOf(other)) === JSON.stringify(codesOf(reference));
      return [...(empty ? [`${path}: empty emphasis`] : []), ...(codes ? [] : [`${path}: codes differ`])];
    }
    if (other.length !== reference.length) return [`${path}: ${other.length} items, not ${reference.length}`];
    return reference.flatMap((item, i) => differences(item, other[i], `${path}[${i}]`));
  }
  if (typeof reference === "object") {
    if (typeof other !== "object" || other === null) return [`${path}: not an object`];
    const mine = Object.keys(reference as object).sort();
    const theirs = Object.keys(other).sort();
    const missing = mine.filter((k) => !theirs.includes(k)).map((k) => `${path}.${k}: missing`);
    const extra = theirs.filter((k) => !mine.includes(k)).map((k) => `${path}.${k}: not in English`);
    const inner = mine
      .filter((k) => theirs.includes(k))
      .flatMap((k) => differences((reference as Record<string, unknown>)[k], (other as Record<string, unknown>)[k], `${path}.${k}`));
    return [...missing, ...extra, ...inner];
  }
  return typeof other === typeof reference ? [] : [`${path}: a ${typeof other}, not a ${typeof reference}`];
}

/** Every text of a table, by path; functions called with sample arguments. */
function leaves(value: unknown, path = ""): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (typeof value === "function") {
    const text = callWithSamples(value as (...args: unknown[]) => unknown);
    return typeof text === "string" ? [[`${path}()`, text]] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, `${path}.${k}`));
  return [];
}

describe("i18n", () => {
  it("gives every language every key of English, deep: nested objects, lists of the same length, functions, no empty text", () => {
    const { hints: _hints, ...reference } = languages.en;
    for (const [lang, table] of Object.entries(languages)) {
      const { hints: _theirs, ...rest } = table;
      expect(differences(reference, rest, lang), lang).toEqual([]);
    }
  });

  it("words every error code's next step in each translated language (English keeps the backend's)", () => {
    const codes = Object.keys(languages.fr.hints).sort() as ErrorCode[];
    expect(codes).toContain("expired-code");
    for (const lang of ["fr", "de", "ar"] as const) {
      const hints = languages[lang].hints;
      expect(Object.keys(hints).sort(), lang).toEqual(codes);
      for (const code of codes) {
        const hint = hints[code];
        expect(hint === null || (typeof hint === "string" && hint.trim() !== ""), `${lang} ${code}`).toBe(true);
        expect(hint === null, `${lang} ${code} null`).toBe(languages.fr.hints[code] === null);
      }
    }
  });

  it("is translated, not copied: few texts of German, Arabic or French are English's word for word", () => {
    // Names, codes and words the languages share ("Video", "Client ID", "Type") stay; a pasted English
    // table would not pass.
    const texts = (table: Strings) => leaves(table).filter(([, text]) => /\p{L}{3}/u.test(text));
    const english = new Map(texts(languages.en));
    for (const lang of ["fr", "de", "ar"] as const) {
      const all = texts(languages[lang]);
      const same = all.filter(([path, text]) => english.get(path) === text);
      expect(same.length / all.length, `${lang}: ${same.map(([p]) => p).join(", ")}`).toBeLessThan(0.1);
    }
    // Arabic is written in Arabic script throughout, apart from what is the same in every language.
    const latinOnly = texts(languages.ar).filter(([path, text]) => !/\p{Script=Arabic}/u.test(text) && english.get(path) !== text);
    expect(latinOnly.map(([path]) => path)).toEqual([]);
  });

  it("picks a table by the primary subtag, and English for untranslated languages", () => {
    expect(stringsFor("fr-FR").openSignIn).toBe("Ouvrir la page de connexion");
    expect(stringsFor("de-AT").openSignIn).toBe("Anmeldeseite öffnen");
    expect(stringsFor("ar-EG").openSignIn).toBe("افتح صفحة تسجيل الدخول");
    expect(stringsFor("ja").openSignIn).toBe("Open sign-in page");
    expect(stringsFor(undefined).openSignIn).toBe("Open sign-in page");
  });

  it("counts in each language's grammar", () => {
    expect(languages.en.elements(1)).toBe("1 element");
    expect(languages.en.elements(0)).toBe("0 elements");
    expect(languages.en.recordCount(10_000)).toBe("10,000 records");
    // French counts 0 and 1 as singular, and groups thousands with a narrow no-break space.
    expect(languages.fr.elements(0)).toBe("0 élément");
    expect(languages.fr.recordCount(10_000)).toBe("10\u202f000 documents");
    expect(languages.fr.someCollections(1)).toBe("1 collection");
    expect(languages.de.searchTotal(1, 12)).toBe("1 Ergebnis · 12 ms");
    expect(languages.de.searchTotal(2, 12)).toBe("2 Ergebnisse · 12 ms");
    expect(languages.ar.elements(0)).toBe("لا عناصر");
    expect(languages.ar.elements(2)).toBe("عنصران");
    expect(languages.ar.elements(5)).toBe("5 عناصر");
    expect(languages.ar.elements(11)).toBe("11 عنصرًا");
    expect(languages.ar.elements(100)).toBe("100 عنصر");
  });

  it("keeps a name's own # out of the count", () => {
    expect(languages.en.addFailed(2, "Set #1")).toBe("2 records could not be added to “Set #1”.");
    expect(languages.ar.removed(3, "#4")).toBe("أُزيلت 3 عناصر من «#4»");
  });
});

describe("error hints", () => {
  it("French has its own next step for the backend's codes; English keeps the backend's", () => {
    expect(stringsFor("fr-FR").hints["token-transport"]).toContain("CGIPassAuth");
    expect(stringsFor("fr").hints["expired-code"]).toContain("30 secondes");
    expect(stringsFor("fr").hints["cancelled"]).toBeNull();
    expect(stringsFor("de").hints["token-transport"]).toContain("CGIPassAuth");
    expect(stringsFor("en").hints["expired-code"]).toBeUndefined();
  });
});
