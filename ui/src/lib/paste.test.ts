import { describe, expect, it } from "vitest";
import { describePaste, isPaste } from "./paste";
import { languages } from "./i18n";

const t = languages.en;

describe("describePaste", () => {
  it("says nothing for an empty field", () => {
    expect(describePaste("   ", null, t)).toEqual({ tone: "neutral", text: "", signIn: false });
  });

  it("announces a found code and asks to sign in at once", () => {
    const view = describePaste("code=abc", { code: "abc", problem: null }, t);
    expect(view).toEqual({ tone: "ok", text: "Code found — signing in…", signIn: true });
  });

  it("shows the backend's reason and next step for text that is not a code", () => {
    const view = describePaste(
      "hello",
      { code: null, problem: { code: "invalid-code", message: "That is not an access code.", hint: "Copy the code shown by Phraseanet.", detail: null, retry: false } },
      t,
    );
    expect(view.tone).toBe("error");
    expect(view.signIn).toBe(false);
    expect(view.text).toBe("That is not an access code. Copy the code shown by Phraseanet.");
  });

  it("renders hostile text as given (the component shows it as text, not HTML)", () => {
    const view = describePaste("x", { code: null, problem: { code: "invalid-code", message: "<img src=x onerror=alert(1)>", hint: null, detail: null, retry: false } }, t);
    expect(view.text).toBe("<img src=x onerror=alert(1)>");
  });
});

describe("isPaste", () => {
  it("treats paste and drop as immediate, typing as not", () => {
    expect(isPaste(new InputEvent("input", { inputType: "insertFromPaste" }))).toBe(true);
    expect(isPaste(new InputEvent("input", { inputType: "insertFromDrop" }))).toBe(true);
    expect(isPaste(new InputEvent("input", { inputType: "insertText" }))).toBe(false);
  });
});
