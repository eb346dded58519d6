// What the sign-in screen says about the text in its paste field. The Rust side decides what is a code
// (check_code); this only turns its answer into what the person reads.
import type { CodeCheck } from "./bindings/CodeCheck";
import type { Strings } from "./i18n";

export type PasteView = { tone: "neutral" | "ok" | "error"; text: string; signIn: boolean };

export function describePaste(text: string, check: CodeCheck | null, t: Strings): PasteView {
  if (text.trim() === "" || check === null) return { tone: "neutral", text: "", signIn: false };
  if (check.code) return { tone: "ok", text: t.codeFound, signIn: true };
  const problem = check.problem;
  return {
    tone: "error",
    text: problem ? [problem.message, problem.hint].filter(Boolean).join(" ") : t.genericNext,
    signIn: false,
  };
}

/** Typed text waits for a pause before it is checked: a half-typed code must not be spent. */
export function isPaste(event: Event): boolean {
  const type = (event as InputEvent).inputType;
  return type === "insertFromPaste" || type === "insertFromDrop" || type === undefined;
}
