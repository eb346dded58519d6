import { describe, expect, it, vi } from "vitest";
import { render, fireEvent } from "@testing-library/svelte";
import { attempt, toProblem, isProblem, isBrowserFailure, type Problem } from "./errors";
import ErrorNotice from "../components/ErrorNotice.svelte";
import { $ } from "../test/util";

const refused: Problem = {
  code: "network",
  message: "Can't reach dam.example.org.",
  hint: "Check your connection.",
  detail: "tcp connect error: Connection refused (os error 111)",
  retry: true,
};

describe("toProblem", () => {
  it("keeps a backend error as it is", () => {
    expect(toProblem(refused)).toEqual(refused);
    expect(isProblem(refused)).toBe(true);
  });

  it("fills detail and retry when the backend does not send them yet: no detail, no retry", () => {
    const p = toProblem({ code: "expired-code", message: "The code expired.", hint: "Get a new one." });
    expect(p).toEqual({ code: "expired-code", message: "The code expired.", hint: "Get a new one.", detail: null, retry: false });
    expect(toProblem({ code: "timeout", message: "slow" })).toMatchObject({ hint: null, detail: null, retry: false });
  });

  it("keeps the backend's word that the server is unreachable (what makes the app offline)", () => {
    const down = { code: "server", message: "The server failed (HTTP 503)", hint: null, detail: null, retry: true, unreachable: true };
    expect(toProblem(down).unreachable).toBe(true);
    expect("unreachable" in toProblem({ ...down, unreachable: undefined })).toBe(false);
  });

  it("turns anything else into an internal problem: a human headline, the technical text as detail", () => {
    const p = toProblem(new Error("ipc broke"));
    expect(p.code).toBe("internal");
    expect(p.message).toBe("The app failed unexpectedly.");
    expect(p.detail).toBe("ipc broke");
    expect(p.hint).toMatch(/restart/i);
    expect(toProblem(undefined)).toMatchObject({ message: "The app failed unexpectedly.", detail: null });
  });

  it("knows a browser that did not open", () => {
    expect(isBrowserFailure({ ...refused, code: "desktop" })).toBe(true);
    expect(isBrowserFailure(refused)).toBe(false);
    expect(isBrowserFailure(null)).toBe(false);
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

describe("ErrorNotice", () => {
  it("shows the human message as the headline and folds the technical detail, collapsed", () => {
    render(ErrorNotice, { problem: refused, id: "browse-error" });
    const notice = $("#browse-error")!;
    expect(notice.querySelector(".message")?.textContent).toBe("Can't reach dam.example.org.");
    const fold = notice.querySelector("details")!;
    expect(fold.open).toBe(false);
    expect(fold.querySelector("summary")?.textContent).toBe("Details");
    expect(fold.textContent).toContain("os error 111");
    expect(notice.querySelector(".message")?.textContent).not.toContain("os error");
  });

  it("offers Retry only when retrying can work and the place can retry", async () => {
    const onretry = vi.fn();
    const { unmount } = render(ErrorNotice, { problem: refused, id: "browse-error", onretry });
    await fireEvent.click($("#browse-error .retry")!);
    expect(onretry).toHaveBeenCalledTimes(1);
    expect($("#browse-error-retry")).not.toBeNull();
    unmount();

    const second = render(ErrorNotice, { problem: { ...refused, retry: false }, id: "browse-error", onretry });
    expect($("#browse-error .retry")).toBeNull();
    second.unmount();

    render(ErrorNotice, { problem: refused, id: "browse-error" });
    expect($("#browse-error .retry")).toBeNull();
  });

  it("has no detail fold when there is no detail", () => {
    render(ErrorNotice, { problem: { ...refused, detail: null } });
    expect($("#error details")).toBeNull();
  });

  it("the ✕ puts the notice away and tells the owner", async () => {
    const ondismiss = vi.fn();
    render(ErrorNotice, { problem: refused, id: "browse-error", ondismiss });
    await fireEvent.click($("#browse-error-dismiss")!);
    expect(ondismiss).toHaveBeenCalledTimes(1);
    expect($("#browse-error")).toBeNull();
  });

  it("shows server text as text", () => {
    render(ErrorNotice, { problem: { ...refused, message: "<img src=x onerror=alert(1)>", detail: "<b>x</b>" } });
    expect($("#error img, #error b")).toBeNull();
    expect($("#error .message")?.textContent).toBe("<img src=x onerror=alert(1)>");
  });
});
