import { describe, expect, it, vi } from "vitest";
import { render, fireEvent } from "@testing-library/svelte";
import { tick } from "svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import AccountMenu from "./AccountMenu.svelte";
import { app } from "../lib/app.svelte";
import * as fixtures from "../test/fixtures";
import { $ } from "../test/util";

describe("AccountMenu", () => {
  it("opens with its first item focused; ↑/↓ move (wrapping), Home/End jump, Esc goes back to the button", async () => {
    const account = fixtures.account({ name: "Work" });
    app.profiles = [account.profile, fixtures.profile({ name: "Archive" })];
    render(AccountMenu, { account });
    await fireEvent.click($("#account-btn")!);
    await tick();
    const items = [...document.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')];
    expect(items[0]?.textContent).toContain("Archive");
    expect(document.activeElement).toBe(items[0]);
    const menu = $("#account-menu")!;
    await fireEvent.keyDown(menu, { key: "ArrowDown" });
    expect(document.activeElement).toBe(items[1]);
    await fireEvent.keyDown(menu, { key: "ArrowUp" });
    await fireEvent.keyDown(menu, { key: "ArrowUp" });
    expect(document.activeElement).toBe(items.at(-1));
    await fireEvent.keyDown(menu, { key: "Home" });
    expect(document.activeElement).toBe(items[0]);
    await fireEvent.keyDown(menu, { key: "End" });
    expect(document.activeElement?.id).toBe("remove-profile");
    await fireEvent.keyDown(menu, { key: "Escape" });
    expect($("#account-menu")).toBeNull();
    expect(document.activeElement?.id).toBe("account-btn");
  });

  it("has a Language item the arrow keys reach like the others", async () => {
    const account = fixtures.account({ name: "Work" });
    app.profiles = [account.profile];
    render(AccountMenu, { account });
    await fireEvent.click($("#account-btn")!);
    await tick();
    const menu = $("#account-menu")!;
    const picker = $("#language-picker") as HTMLSelectElement;
    expect(menu.contains(picker)).toBe(true);
    expect(picker.labels?.[0]?.textContent).toContain("Language");
    // Add account, Diagnose, then the language, then Sign out.
    expect(document.activeElement?.id).toBe("add-account");
    await fireEvent.keyDown(menu, { key: "ArrowDown" });
    await fireEvent.keyDown(menu, { key: "ArrowDown" });
    expect(document.activeElement).toBe(picker);
    await fireEvent.keyDown(picker, { key: "ArrowDown" });
    expect(document.activeElement?.id).toBe("sign-out");
  });
});
