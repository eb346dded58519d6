import { describe, expect, it } from "vitest";
import { attempt, toProblem, isProblem } from "./errors";

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

describe("attempt", () => {
  it("clears the problem, returns the value, or reports the failure as a Problem", async () => {
    const seen: (string | null)[] = [];
    const report = (p: { code: string } | null) => seen.push(p?.code ?? null);
    expect(await attempt(async () => 42, report)).toBe(42);
    expect(await attempt(async () => Promise.reject({ code: "timeout", message: "slow", hint: null }), report)).toBeUndefined();
    expect(await attempt(async () => { throw new Error("bug"); }, report)).toBeUndefined();
    expect(seen).toEqual([null, null, "timeout", null, "internal"]);
  });
});
