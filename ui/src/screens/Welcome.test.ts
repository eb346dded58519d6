import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import Welcome from "./Welcome.svelte";

describe("Welcome", () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it("shows the engine's answer after the button round-trips through Rust", async () => {
    invoke.mockResolvedValue({ name: "Phraseanet Desktop", version: "9.9.9", api: "API v1", user_agent: "x" });
    render(Welcome);
    await fireEvent.click(screen.getByRole("button"));
    expect(invoke).toHaveBeenCalledWith("about");
    expect(await screen.findByText(/Phraseanet Desktop 9\.9\.9 speaks API v1\./)).toBeTruthy();
  });

  it("says what to do when the engine fails", async () => {
    invoke.mockImplementation(async () => {
      throw new Error("the engine is gone");
    });
    render(Welcome);
    await fireEvent.click(screen.getByRole("button"));
    expect(await screen.findByText(/did not answer/)).toBeTruthy();
  });
});
