import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Main from "../screens/Main.svelte";
import { browse } from "../lib/browse.svelte";
import { layout, SIDEBAR } from "../lib/layout.svelte";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import { account, summary } from "../test/fixtures";
import { $, settle } from "../test/util";

async function windowWidth(width: number) {
  Object.defineProperty(window, "innerWidth", { configurable: true, value: width });
  window.dispatchEvent(new Event("resize"));
  await settle();
}

describe("the main view's layout", () => {
  beforeEach(async () => {
    resetIpc();
    stubShowing();
    browse.reset();
    ipc.baskets.mockResolvedValue([summary(7)]);
    ipc.profiles.mockResolvedValue({ profiles: [], active: null });
    layout.sidebarChoice = null;
    layout.sidebarWidth = SIDEBAR.initial;
    await windowWidth(1200);
  });

  it("shows who is signed in once: the account menu (the line is for screen readers)", async () => {
    render(Main, { account: account() });
    await settle();
    expect($("#signed-in-as")?.classList.contains("visually-hidden")).toBe(true);
    expect($("#signed-in-as")?.textContent).toMatch(/^Signed in as/);
  });

  it("the sidebar hides behind its toggle, and starts hidden in a small window", async () => {
    render(Main, { account: account() });
    await settle();
    const toggle = $("#sidebar-toggle")!;
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    expect($("#sidebar")).toBeTruthy();
    await fireEvent.click(toggle);
    expect($("#sidebar")).toBeNull();
    expect($(".workspace")?.classList.contains("no-sidebar")).toBe(true);
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(toggle.getAttribute("title")).toBe("Show the sidebar");
    await fireEvent.click(toggle);
    expect($("#sidebar")).toBeTruthy();
    // The person's choice aside, a 720 px window hides it; the home view lists the baskets anyway.
    layout.sidebarChoice = null;
    await windowWidth(720);
    expect($("#sidebar")).toBeNull();
    expect($("#home .home-card")).toBeTruthy();
  });

  it("floats the record panel over the grid below 1000 px", async () => {
    render(Main, { account: account() });
    await settle();
    expect($(".workspace")?.classList.contains("overlay-panel")).toBe(false);
    await windowWidth(900);
    expect($(".workspace")?.classList.contains("overlay-panel")).toBe(true);
  });

  it("the sidebar's edge resizes it, by the keyboard too, within bounds", async () => {
    render(Main, { account: account() });
    await settle();
    const edge = $("#sidebar-resize")!;
    expect(edge.getAttribute("role")).toBe("separator");
    await fireEvent.keyDown(edge, { key: "ArrowRight" });
    expect(layout.sidebarWidth).toBe(SIDEBAR.initial + 16);
    expect(($(".workspace") as HTMLElement).style.getPropertyValue("--sidebar-width")).toBe(`${SIDEBAR.initial + 16}px`);
    for (let i = 0; i < 40; i++) await fireEvent.keyDown(edge, { key: "ArrowLeft", shiftKey: true });
    expect(layout.sidebarWidth).toBe(SIDEBAR.min);
  });
});
