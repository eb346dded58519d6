import { afterEach, describe, expect, it, vi } from "vitest";
import {
  LANGUAGE_KEY,
  applyDocumentLanguage,
  localeFor,
  pickLanguage,
  setLanguage,
  storedLanguage,
  supportedLanguages,
} from "./locale";

afterEach(() => {
  localStorage.clear();
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe("which language the window speaks", () => {
  it("follows the system: the first language the app has, by primary subtag", () => {
    expect(pickLanguage(null, ["fr-CA", "en-US"])).toBe("fr");
    expect(pickLanguage(null, ["es-ES", "de-AT", "en"])).toBe("de");
    expect(pickLanguage(null, ["ar-EG"])).toBe("ar");
    expect(pickLanguage(null, ["EN-gb"])).toBe("en");
  });

  it("keeps the person's choice over the system's", () => {
    expect(pickLanguage("ar", ["fr-FR"])).toBe("ar");
  });

  it("falls back to English: no supported system language, and a stored value it does not know", () => {
    expect(pickLanguage(null, ["ja-JP", "es"])).toBe("en");
    expect(pickLanguage(null, [])).toBe("en");
    expect(pickLanguage("klingon", ["ja"])).toBe("en");
    expect(pickLanguage("", ["de-DE"])).toBe("de");
  });

  it("reads the stored choice and the system's languages once, at start-up", async () => {
    vi.stubGlobal("navigator", { languages: ["es-ES", "de-CH"], language: "es-ES" });
    let locale = await import("./locale");
    expect(locale.currentLanguage()).toBe("de");
    expect(locale.currentLocale()).toBe("de-CH");

    vi.resetModules();
    localStorage.setItem(LANGUAGE_KEY, "fr");
    locale = await import("./locale");
    expect(locale.currentLanguage()).toBe("fr");
    expect(locale.currentLocale()).toBe("fr");
  });

  it("the whole UI follows it: the strings `t` and the language code given to the backend", async () => {
    localStorage.setItem(LANGUAGE_KEY, "de");
    const i18n = await import("../i18n");
    expect(i18n.t.openSignIn).toBe("Anmeldeseite öffnen");
    expect(i18n.lang).toBe("de");
  });
});

describe("setLanguage", () => {
  it("keeps a choice and reloads, so every string is read again in it", () => {
    const reload = vi.fn();
    setLanguage("ar", reload);
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe("ar");
    expect(storedLanguage()).toBe("ar");
    expect(reload).toHaveBeenCalledOnce();
  });

  it("null forgets the choice: the system decides again", () => {
    localStorage.setItem(LANGUAGE_KEY, "de");
    const reload = vi.fn();
    setLanguage(null, reload);
    expect(localStorage.getItem(LANGUAGE_KEY)).toBeNull();
    expect(reload).toHaveBeenCalledOnce();
  });

  it("names each language in itself", () => {
    expect(supportedLanguages.map((l) => l.name)).toEqual(["English", "Français", "Deutsch", "العربية"]);
  });
});

describe("the page's lang and dir", () => {
  it("lays Arabic out right to left, the others left to right", () => {
    const root = document.createElement("html");
    applyDocumentLanguage(root, "ar");
    expect(root.dir).toBe("rtl");
    expect(root.lang).toBe("ar");
    applyDocumentLanguage(root, "fr");
    expect(root.dir).toBe("ltr");
    expect(root.lang).toBe("fr");
  });

  it("sets the real document from the chosen language", async () => {
    localStorage.setItem(LANGUAGE_KEY, "ar");
    const locale = await import("./locale");
    locale.applyDocumentLanguage();
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.getAttribute("lang")).toBe("ar");
    document.documentElement.dir = "ltr";
  });
});

describe("localeFor", () => {
  it("uses the system's regional tag for the same language, else the bare code", () => {
    expect(localeFor("en", ["en-GB", "fr-FR"])).toBe("en-GB");
    expect(localeFor("fr", ["en-GB", "fr-CA"])).toBe("fr-CA");
    expect(localeFor("de", ["en-GB"])).toBe("de");
  });

  it("writes Arabic with Latin digits, whatever the ICU default", () => {
    expect(localeFor("ar", [])).toBe("ar-u-nu-latn");
    expect(localeFor("ar", ["ar-EG"])).toBe("ar-EG-u-nu-latn");
    expect(localeFor("ar", ["ar-SA-u-ca-islamic"])).toBe("ar-SA-u-ca-islamic-nu-latn");
  });
});
