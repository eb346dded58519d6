import { describe, expect, it } from "vitest";
import { toProblem, isProblem } from "./errors";

describe("toProblem", () => {
  it("keeps a backend error as it is", () => {
    const p = { code: "expired-code", message: "The code expired.", hint: "Get a new one." };
    expect(toProblem(p)).toEqual(p);
    expect(isProblem(p)).toBe(true);
  });

  it("turns anything else into an internal problem with a next step", () => {
    const p = toProblem(new Error("ipc broke"));
    expect(p.code).toBe("internal");
    expect(p.message).toContain("ipc broke");
    expect(p.hint).toMatch(/restart/i);
    expect(toProblem(undefined).message).toBe("The app failed unexpectedly.");
  });
});
