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

/** Runs a UI task: `report` hears null first, then the failure as a Problem (which the UI shows).
 * Resolves to the task's value, or undefined when it failed. The one try/catch of the screens. */
export async function attempt<T>(task: () => Promise<T>, report: (p: Problem | null) => void): Promise<T | undefined> {
  report(null);
  try {
    return await task();
  } catch (e) {
    report(toProblem(e));
    return undefined;
  }
}

/** Codes after which the right next step is to get a fresh code from the sign-in page. */
export const needsNewCode: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["expired-code", "invalid-grant"]);
