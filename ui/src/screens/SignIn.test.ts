import { describe, expect, it, vi, beforeEach, afterEach } from "vitest";
import { render, screen, fireEvent } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import SignIn from "./SignIn.svelte";
import { app } from "../lib/app.svelte";
import { invoke } from "../test/mocks";
import * as fixtures from "../test/fixtures";

const profile = fixtures.profile();
const account = fixtures.account({}, "Mara Ek");
const CODE = "4be3a1f09c2d8e7b6a5f4e3d2c1b0a99";

type Handler = (args: Record<string, unknown> | undefined) => unknown;
function backend(handlers: Record<string, Handler>) {
  invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
    const handler = handlers[cmd];
    if (!handler) throw { code: "internal", message: `unexpected ${cmd}`, hint: null };
    return handler(args);
  });
}

function paste(input: HTMLElement, text: string) {
  (input as HTMLInputElement).value = text;
  return fireEvent(input, new InputEvent("input", { inputType: "insertFromPaste", bubbles: true }));
}

describe("SignIn", () => {
  beforeEach(() => {
    invoke.mockReset();
    app.profiles = [profile];
    app.screen = { name: "sign-in", profile: "Work", demo: null };
  });
  afterEach(() => vi.useRealTimers());

  it("signs in as soon as a code is pasted, with no extra click", async () => {
    backend({
      check_code: (a) => ({ code: String(a?.text).replace("code=", ""), problem: null }),
      sign_in_with_code: () => account,
    });
    render(SignIn, { profile: "Work", demo: null });
    await paste(screen.getByPlaceholderText("Paste the code here"), `code=${CODE}`);
    expect(await screen.findByText("Signed in as Mara Ek on dam.example.org")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("sign_in_with_code", { profile: "Work", pasted: `code=${CODE}` });
  });

  it("offers to reopen the browser when the code expired", async () => {
    backend({
      check_code: () => ({ code: CODE, problem: null }),
      sign_in_with_code: () => {
        throw { code: "expired-code", message: "The code expired: it lives 30 seconds.", hint: "Get a new one." };
      },
      clipboard_code: () => null,
      open_sign_in: () => ({ url: "https://dam.example.org/api/oauthv2/authorize?x", state: "s" }),
    });
    render(SignIn, { profile: "Work", demo: null });
    await paste(screen.getByPlaceholderText("Paste the code here"), CODE);
    expect(await screen.findByText("The code expired: it lives 30 seconds.")).toBeTruthy();
    await fireEvent.click(screen.getByText("Open the sign-in page again", { selector: "#reopen-btn" }));
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith("open_sign_in", { profile: "Work" }));
  });

  it("shows why pasted text is not a code, and does not call the server", async () => {
    backend({
      check_code: () => ({ code: null, problem: { code: "invalid-code", message: "That is not an access code.", hint: null } }),
    });
    render(SignIn, { profile: "Work", demo: null });
    await paste(screen.getByPlaceholderText("Paste the code here"), "hello");
    expect(await screen.findByText("That is not an access code.")).toBeTruthy();
    expect(invoke).not.toHaveBeenCalledWith("sign_in_with_code", expect.anything());
  });

  it("detects a new code on the clipboard after the browser opened", async () => {
    vi.useFakeTimers();
    let clipboard: string | null = "old-code-that-was-there-before-0000";
    backend({
      clipboard_code: () => clipboard,
      open_sign_in: () => ({ url: "https://dam.example.org/api/oauthv2/authorize?x", state: "s" }),
      sign_in_with_code: (a) => {
        expect(a?.pasted).toBe(CODE);
        return account;
      },
    });
    render(SignIn, { profile: "Work", demo: null });
    await fireEvent.click(screen.getByText("Open sign-in page"));
    await vi.advanceTimersByTimeAsync(1500);
    expect(invoke).not.toHaveBeenCalledWith("sign_in_with_code", expect.anything());
    clipboard = CODE;
    await vi.advanceTimersByTimeAsync(800);
    expect(invoke).toHaveBeenCalledWith("sign_in_with_code", { profile: "Work", pasted: CODE });
    expect(screen.getByText("Signed in as Mara Ek on dam.example.org")).toBeTruthy();
  });

  it("shows the demo credentials to type in the browser", () => {
    const demo = { profile, url: "http://127.0.0.1:9", login: "mara", password: "Demo-Pass-1" };
    render(SignIn, { profile: "Work", demo });
    expect(screen.getByText("mara")).toBeTruthy();
    expect(screen.getByText("Demo-Pass-1")).toBeTruthy();
  });

  it("a loopback profile signs in with one click and can cancel the wait", async () => {
    app.profiles = [{ ...profile, auth: "loopback" }];
    let settle: (v: unknown) => void = () => {};
    backend({
      sign_in_loopback: (a) => {
        // The backend tells the window which page it opened.
        (a?.opened as { onmessage: (m: unknown) => void }).onmessage({ url: "http://127.0.0.1:9/api/oauthv2/authorize?x", state: "s" });
        return new Promise((_, reject) => (settle = () => reject({ code: "cancelled", message: "Cancelled", hint: null })));
      },
      cancel_sign_in: () => {
        settle(null);
        return null;
      },
    });
    render(SignIn, { profile: "Work", demo: null });
    expect(screen.queryByPlaceholderText("Paste the code here")).toBeNull();
    await fireEvent.click(screen.getByText("Sign in with the browser"));
    expect(await screen.findByText("Waiting for the browser… finish signing in there.")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("sign_in_loopback", { profile: "Work", lang: expect.any(String), opened: expect.anything() });
    expect((await screen.findByText("http://127.0.0.1:9/api/oauthv2/authorize?x")).id).toBe("authorize-url");
    await fireEvent.click(screen.getByText("Cancel", { selector: "#loopback-cancel" }));
    expect(await screen.findByText("Sign in with the browser")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("a loopback sign-in that comes back signs in", async () => {
    app.profiles = [{ ...profile, auth: "loopback" }];
    backend({ sign_in_loopback: () => account });
    render(SignIn, { profile: "Work", demo: null });
    await fireEvent.click(screen.getByText("Sign in with the browser"));
    expect(await screen.findByText("Signed in as Mara Ek on dam.example.org")).toBeTruthy();
  });
});
