import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Welcome from "./Welcome.svelte";
import { app } from "../lib/app.svelte";
import { invoke } from "../test/mocks";
import * as fixtures from "../test/fixtures";

const profile = fixtures.profile({ name: "Demo server", server: "http://127.0.0.1:9/" });

describe("Welcome", () => {
  beforeEach(() => {
    invoke.mockReset();
    app.screen = { name: "welcome" };
    app.profiles = [];
  });

  it("offers the two ways in", () => {
    render(Welcome);
    expect(screen.getByText("Connect to your Phraseanet")).toBeTruthy();
    expect(screen.getByText("Try the built-in demo server")).toBeTruthy();
  });

  it("has the language choice in its footer, before anything else is chosen", () => {
    render(Welcome);
    const picker = screen.getByRole("combobox", { name: /Language/ });
    expect(picker.id).toBe("language-picker");
    expect(picker.closest("footer")).not.toBeNull();
  });

  it("shows the engine's answer after the about button round-trips through Rust", async () => {
    invoke.mockResolvedValue({ name: "Phraseanet Desktop", version: "9.9.9", api: "API v1", user_agent: "x" });
    render(Welcome);
    await fireEvent.click(screen.getByText("About this app"));
    expect(invoke).toHaveBeenCalledWith("about", undefined);
    expect(await screen.findByText(/Phraseanet Desktop 9\.9\.9 speaks API v1\./)).toBeTruthy();
  });

  it("starts the demo and shows the connect form it filled", async () => {
    const demo = { profile, url: "http://127.0.0.1:9", login: "mara", password: "pw" };
    invoke.mockResolvedValue(demo);
    render(Welcome);
    await fireEvent.click(screen.getByText("Try the built-in demo server"));
    await vi.waitFor(() => expect(app.screen).toEqual({ name: "connect", demo }));
  });

  it("explains a failure with the backend's message and hint", async () => {
    invoke.mockImplementation(async () => {
      throw { code: "demo-server", message: "The demo server could not start.", hint: "Check the disk." };
    });
    render(Welcome);
    await fireEvent.click(screen.getByText("Try the built-in demo server"));
    expect(await screen.findByText("The demo server could not start.")).toBeTruthy();
    expect(screen.getByText("Check the disk.")).toBeTruthy();
  });

  describe("saved connections", () => {
    const mara = fixtures.profile({ name: "Work", server: "https://dam.example.org/", user_name: "Mara", signed_in: true });
    const jon = fixtures.profile({ name: "Archive", server: "https://archive.example.org/", user_name: "Jon", signed_in: false });
    /** The element once it shows. */
    const found = (selector: string) =>
      vi.waitFor(() => {
        const el = document.querySelector<HTMLButtonElement>(selector);
        if (!el) throw new Error(`no ${selector} yet`);
        return el;
      });
    const answers = (extra: Record<string, unknown> = {}) =>
      invoke.mockImplementation(async (cmd: string) => {
        if (cmd === "profiles") return { profiles: [mara, jon], active: "Work", keyring_problem: null };
        if (cmd in extra) return extra[cmd];
        throw { code: "internal", message: `unexpected ${cmd}`, hint: null };
      });

    it("lists each saved connection by who and where", async () => {
      answers();
      render(Welcome);
      const buttons = await vi.waitFor(() => {
        const found = [...document.querySelectorAll<HTMLButtonElement>(".saved-connection")];
        expect(found.length).toBe(2);
        return found;
      });
      expect(buttons.map((b) => b.dataset.profile)).toEqual(["Work", "Archive"]);
      expect(buttons[0]?.textContent).toContain("Continue as Mara on dam.example.org");
      expect(buttons[1]?.textContent).toContain("signed out");
    });

    it("one click resumes a connection still signed in", async () => {
      const account = fixtures.account({ name: "Work" });
      answers({ resume: account });
      render(Welcome);
      const work = await found('.saved-connection[data-profile="Work"]');
      await fireEvent.click(work);
      await vi.waitFor(() => expect(app.screen).toEqual({ name: "main", account }));
      expect(invoke).toHaveBeenCalledWith("resume", { profile: "Work" });
    });

    it("a signed-out connection goes to its sign-in step, nothing to retype", async () => {
      answers();
      render(Welcome);
      const archive = await found('.saved-connection[data-profile="Archive"]');
      await fireEvent.click(archive);
      expect(app.screen).toEqual({ name: "sign-in", profile: "Archive", demo: null });
      expect(invoke).not.toHaveBeenCalledWith("resume", expect.anything());
    });

    it("a resume that fails says why and stays here", async () => {
      invoke.mockImplementation(async (cmd: string) => {
        if (cmd === "profiles") return { profiles: [mara], active: "Work", keyring_problem: null };
        throw { code: "network", message: "Cannot reach the server", hint: null, detail: "os error 111", retry: true };
      });
      render(Welcome);
      const work = await found(".saved-connection");
      await fireEvent.click(work);
      expect(await screen.findByText("Cannot reach the server")).toBeTruthy();
      expect(app.screen).toEqual({ name: "welcome" });
    });
  });
});
