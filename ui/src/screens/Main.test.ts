import { describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

const ipc = vi.hoisted(() => ({
  baskets: vi.fn(() => Promise.resolve([])),
  downloads: vi.fn(() => Promise.resolve([])),
  mediaBase: vi.fn(() => Promise.resolve(null)),
  resumeDownloads: vi.fn(() => Promise.resolve([])),
  profiles: vi.fn(() => Promise.resolve({ profiles: [], active: null })),
}));
vi.mock("../lib/ipc", () => ({ ipc, whenSignedOut: () => {} }));
vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(), convertFileSrc: (p: string) => p }));
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

import Main from "./Main.svelte";
import { browse } from "../lib/browse.svelte";

describe("Main", () => {
  it("Ctrl+F opens the search section and focuses the search box", async () => {
    render(Main, {
      account: {
        user_name: "Mara", server: "dam.example.org", offline: null,
        profile: { name: "Work", server: "https://dam.example.org", client_id: "c", auth: "loopback", user_name: "Mara", signed_in: true, token_expires_at: null },
      },
    });
    expect(document.getElementById("search-input")).toBeNull();
    await fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(browse.section).toBe("search");
    expect(document.activeElement?.id).toBe("search-input");
  });
});
