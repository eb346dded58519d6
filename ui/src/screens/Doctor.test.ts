import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Doctor from "./Doctor.svelte";
import { invoke } from "../test/mocks";

const report = {
  server: "https://dam.example.org/",
  text: "Phraseanet Desktop — connection report for https://dam.example.org/\n✘ API: …",
  checks: [
    { id: "address", state: "pass", detail: "https://dam.example.org/", problem: null, next_step: null },
    { id: "phraseanet", state: "pass", detail: "API v1, v2, v3: Phraseanet 4.1.1 or later", problem: null, next_step: null },
    {
      id: "api",
      state: "fail",
      detail: "The server's API is turned off",
      problem: { code: "api-disabled", message: "The server's API is turned off", hint: "Backend hint" },
      next_step: null,
    },
    { id: "token", state: "skipped", detail: "not checked: an earlier step failed", problem: null, next_step: null },
    { id: "clock", state: "warn", detail: "the server's clock is 12 minutes ahead", problem: null, next_step: "Set the clock." },
  ],
};

describe("Doctor", () => {
  beforeEach(() => invoke.mockReset());

  it("lists every check with its mark, what was found and the next step", async () => {
    invoke.mockImplementation(async (cmd: string) => (cmd === "doctor" ? report : null));
    render(Doctor, { props: { target: { server: "https://dam.example.org", clientId: "abc" }, onback: () => {} } });
    expect(await screen.findByText("Something stops the connection: see the first ✘ below.")).toBeTruthy();
    expect(invoke).toHaveBeenCalledWith("doctor", { profile: null, server: "https://dam.example.org", clientId: "abc" });
    const items = document.querySelectorAll("#doctor-checks li");
    expect(items.length).toBe(5);
    const api = document.querySelector('[data-check="api"]') as HTMLElement;
    expect(api.querySelector(".mark")?.textContent).toBe("✘");
    expect(api.querySelector(".mark")?.getAttribute("aria-label")).toBe("failed");
    // The error code's hint is the next step (in English, the backend's own words).
    expect(api.querySelector(".next")?.textContent).toContain("Backend hint");
    expect(document.querySelector('[data-check="clock"] .next')?.textContent).toContain("Set the clock.");
    expect(document.querySelector('[data-check="address"] .next')).toBeNull();
  });

  it("copies the backend's redacted text and checks again", async () => {
    invoke.mockImplementation(async (cmd: string) => (cmd === "doctor" ? report : null));
    render(Doctor, { props: { target: { profile: "Work" }, onback: () => {} } });
    await fireEvent.click(await screen.findByText("Copy report"));
    expect(invoke).toHaveBeenCalledWith("copy_text", { text: report.text });
    expect(await screen.findByText(/Report copied/)).toBeTruthy();
    await fireEvent.click(screen.getByText("Check again"));
    await vi.waitFor(() => expect(invoke.mock.calls.filter((c) => c[0] === "doctor").length).toBe(2));
  });

  it("a healthy report says so", async () => {
    const ok = { ...report, checks: report.checks.filter((c) => c.state === "pass") };
    invoke.mockImplementation(async () => ok);
    render(Doctor, { props: { target: { profile: "Work" }, onback: () => {} } });
    expect(await screen.findByText("Everything the app needs works.")).toBeTruthy();
  });
});
