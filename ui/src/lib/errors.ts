// Errors as the UI shows them. The backend sends {code, message, hint, detail, retry}; the UI branches
// on `code` and shows `message` and `hint` as text (never as HTML). `detail` is the technical text
// (folded away under "Details", never the headline); `retry` says whether doing the same again can work.
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorPayload } from "./bindings/ErrorPayload";

/** The payload as the UI holds it. `toProblem` always fills `detail` and `retry`; a problem the UI words
 * itself (a form's own check) may leave them out: no detail, no Retry. */
export type Problem = Omit<ErrorPayload, "detail" | "retry"> & { detail?: string | null; retry?: boolean };

export function isProblem(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Problem).code === "string" &&
    typeof (value as Problem).message === "string"
  );
}

/** Anything a command rejects with, as a Problem: unknown shapes become an "internal" one. */
export function toProblem(raw: unknown): Required<Omit<Problem, "unreachable">> & Pick<Problem, "unreachable"> {
  if (isProblem(raw)) {
    const extra = raw as Partial<Problem>;
    return {
      code: raw.code,
      message: raw.message,
      hint: raw.hint ?? null,
      detail: typeof extra.detail === "string" && extra.detail !== "" ? extra.detail : null,
      retry: extra.retry === true,
      ...(raw.unreachable === true ? { unreachable: true } : {}),
    };
  }
  const text = raw instanceof Error ? raw.message : typeof raw === "string" ? raw : "";
  return {
    code: "internal",
    message: "The app failed unexpectedly.",
    hint: "Try again. If it keeps happening, restart the app and report the problem.",
    detail: text || null,
    retry: true,
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

/** The system could not open a browser (the Lightbox, a sign-in page): offer the link to copy instead.
 * Today's backend says `desktop`; a dedicated code may follow (any code naming the browser). */
export function isBrowserFailure(p: Problem | null): boolean {
  if (!p) return false;
  const code: string = p.code;
  return code === "desktop" || code.startsWith("browser");
}
