import { describe, expect, it, vi, beforeEach } from "vitest";
import { render, screen, fireEvent } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Connect from "./Connect.svelte";
import { app } from "../lib/app.svelte";
import { invoke } from "../test/mocks";
import * as fixtures from "../test/fixtures";

const profile = fixtures.profile({ name: "dam.example.org", client_id: "abc123" });

describe("Connect", () => {
  beforeEach(() => {
    invoke.mockReset();
    app.profiles = [];
    app.screen = { name: "connect" };
  });

  it("checks the server, saves the profile and goes to sign-in", async () => {
    invoke.mockImplementation(async (cmd: string) => (cmd === "check_server" ? { name: "Phraseanet", type: "phraseanet", description: null } : profile));
    render(Connect);
    await fireEvent.input(screen.getByLabelText(/Server address/), { target: { value: "https://dam.example.org" } });
    await fireEvent.input(screen.getByLabelText(/Client ID/), { target: { value: "abc123" } });
    await fireEvent.input(screen.getByLabelText(/Client secret/), { target: { value: "s3cret" } });
    await fireEvent.submit(screen.getByRole("button", { name: "Continue" }));
    await vi.waitFor(() => expect(app.screen).toEqual({ name: "sign-in", profile: "dam.example.org", demo: null }));
    expect(invoke).toHaveBeenNthCalledWith(1, "check_server", { server: "https://dam.example.org" });
    expect(invoke).toHaveBeenNthCalledWith(2, "save_profile", {
      profile: { name: null, server: "https://dam.example.org", client_id: "abc123", client_secret: "s3cret", auth: "oauth-oob" },
    });
  });

  it("explains why a server is refused and keeps the form", async () => {
    invoke.mockImplementation(async () => {
      throw { code: "insecure-http", message: "Plain http is only allowed for this computer.", hint: "Use the https:// address." };
    });
    render(Connect);
    await fireEvent.input(screen.getByLabelText(/Server address/), { target: { value: "http://dam.example.org" } });
    await fireEvent.input(screen.getByLabelText(/Client ID/), { target: { value: "abc123" } });
    await fireEvent.submit(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByText("Plain http is only allowed for this computer.")).toBeTruthy();
    expect(screen.getByText("Use the https:// address.")).toBeTruthy();
    expect(app.screen).toEqual({ name: "connect" });
  });

  it("shows the form the demo filled, and continues to its sign-in", async () => {
    const demo = { profile: { ...profile, name: "Demo server" }, url: "http://127.0.0.1:4000/", login: "mara", password: "pw" };
    render(Connect, { demo });
    expect((screen.getByLabelText(/Server address/) as HTMLInputElement).value).toBe("http://127.0.0.1:4000/");
    expect((screen.getByLabelText(/Client ID/) as HTMLInputElement).value).toBe("abc123");
    await fireEvent.submit(screen.getByRole("button", { name: "Continue" }));
    expect(app.screen).toEqual({ name: "sign-in", profile: "Demo server", demo });
    expect(invoke).not.toHaveBeenCalled();
  });

  it("asks before replacing a profile of that name that points elsewhere", async () => {
    app.profiles = [{ ...profile, name: "Work" }];
    invoke.mockImplementation(async (cmd: string) =>
      cmd === "check_server" ? { name: "Phraseanet", type: "phraseanet", description: null } : { ...profile, name: "Work", server: "https://other.example.org/" },
    );
    render(Connect);
    await fireEvent.input(screen.getByLabelText(/Server address/), { target: { value: "https://other.example.org" } });
    await fireEvent.input(screen.getByLabelText(/Client ID/), { target: { value: "abc123" } });
    await fireEvent.input(screen.getByLabelText(/Name for this connection/), { target: { value: "Work" } });
    await fireEvent.submit(screen.getByRole("button", { name: "Continue" }));
    expect(await screen.findByText(/already exists for https:\/\/dam.example.org/)).toBeTruthy();
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: "Replace" }));
    await vi.waitFor(() => expect(app.screen).toEqual({ name: "sign-in", profile: "Work", demo: null }));
    expect(invoke).toHaveBeenCalledWith("save_profile", expect.anything());
  });
});
