import { describe, expect, it } from "vitest";
import { languages, stringsFor } from "./i18n";

describe("i18n", () => {
  it("gives every language the same keys as English", () => {
    const reference = Object.keys(languages.en).sort();
    for (const [lang, table] of Object.entries(languages)) {
      expect(Object.keys(table).sort(), lang).toEqual(reference);
    }
  });

  it("picks French for fr-FR and English for untranslated languages", () => {
    expect(stringsFor("fr-FR").openSignIn).toBe("Ouvrir la page de connexion");
    expect(stringsFor("ja").openSignIn).toBe("Open sign-in page");
    expect(stringsFor(undefined).openSignIn).toBe("Open sign-in page");
  });
});

describe("error hints", () => {
  it("French has its own next step for the backend's codes; English keeps the backend's", () => {
    expect(stringsFor("fr-FR").hints["token-transport"]).toContain("CGIPassAuth");
    expect(stringsFor("fr").hints["expired-code"]).toContain("30 secondes");
    expect(stringsFor("fr").hints["cancelled"]).toBeNull();
    expect(stringsFor("en").hints["expired-code"]).toBeUndefined();
  });
});
