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
  });

  it("offers the two ways in", () => {
    render(Welcome);
    expect(screen.getByText("Connect to your Phraseanet")).toBeTruthy();
    expect(screen.getByText("Try the built-in demo server")).toBeTruthy();
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
});
