import { describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Main from "./Main.svelte";
import { browse } from "../lib/browse.svelte";
import { ipc } from "../test/mocks";
import { account } from "../test/fixtures";
import { settle } from "../test/util";

ipc.baskets.mockResolvedValue([]);
ipc.downloads.mockResolvedValue([]);
ipc.mediaBase.mockResolvedValue(null);
ipc.resumeDownloads.mockResolvedValue([]);
ipc.profiles.mockResolvedValue({ profiles: [], active: null });

describe("Main", () => {
  it("Ctrl+F opens the search section and focuses the search box", async () => {
    render(Main, { account: account({ server: "https://dam.example.org", auth: "loopback" }) });
    expect(document.getElementById("search-input")).toBeNull();
    await fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    await settle();
    expect(browse.section).toBe("search");
    expect(document.activeElement?.id).toBe("search-input");
  });
});
