// Errors as the UI shows them. The backend sends {code, message, hint}; the UI branches on `code`
// and shows `message` and `hint` as text (never as HTML).
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";

export type Problem = ErrorPayload;

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Problem).code === "string" &&
    typeof (value as Problem).message === "string"
  );
}

/** Anything a command rejects with, as a Problem: unknown shapes become an "internal" one. */
export function toProblem(raw: unknown): Problem {
  if (isProblem(raw)) return { code: raw.code, message: raw.message, hint: raw.hint ?? null };
  const text = raw instanceof Error ? raw.message : typeof raw === "string" ? raw : "";
  return {
    code: "internal",
    message: text ? `The app failed: ${text}` : "The app failed unexpectedly.",
    hint: "Try again. If it keeps happening, restart the app and report the problem.",
  };
}

/** Codes after which the right next step is to get a fresh code from the sign-in page. */
export const needsNewCode: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["expired-code", "invalid-grant"]);
