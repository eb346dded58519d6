// Stand-ins for the two doors to the backend: the `ipc` module (what stores and components call) and
// `@tauri-apps/api/core` (what `ipc` itself calls). One instance per test file, like the module registry.
//
// vi.mock factories are hoisted above every import, so they reach this module with a dynamic import:
//
//   vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
//   vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));
//   import { ipc, resetIpc } from "../test/mocks";   // the very objects those factories handed out
import { vi, type Mock } from "vitest";
import type { ipc as realIpc } from "../lib/ipc";

/** Every function of `ipc`, as a mock. The names are the real ones (a typo fails the type check); the
 *  signatures stay loose, so a test answers with whatever the case needs. */
export type IpcMock = { [K in keyof typeof realIpc]: Mock };

const made: Record<string, Mock> = {};

/** The mocked `ipc`: any function a test or the code under test touches is a `vi.fn()`, made on first
 *  use and kept, so a test never lists the functions the view happens to call. An untouched one answers
 *  `undefined`, as a reset mock does. */
export const ipc = new Proxy(made, {
  get(target, key) {
    // Only command names become mocks (no `then`: the object is no promise).
    if (typeof key !== "string" || key === "then") return undefined;
    return (target[key] ??= vi.fn());
  },
}) as unknown as IpcMock;

/** Resets every ipc mock made so far (the others are fresh anyway). */
export function resetIpc(): void {
  for (const fn of Object.values(made)) fn.mockReset();
}

/** Answers what showing a profile asks besides its baskets, as a server that can curate (API v2) with
 *  nothing kept on this computer: no downloads, no player base, no saved copies. */
export function stubShowing(): void {
  ipc.downloads.mockResolvedValue([]);
  ipc.mediaBase.mockResolvedValue(null);
  ipc.cachedBaskets.mockResolvedValue(null);
  ipc.cachedBasket.mockResolvedValue(null);
  ipc.cachedBasketStart.mockResolvedValue(null);
  ipc.cachedRecord.mockResolvedValue(null);
  ipc.curationSupport.mockResolvedValue({ records: true });
}

/** The factory of `vi.mock(".../lib/ipc")`. */
export function ipcModule() {
  return { ipc, whenSignedOut: () => {} };
}

/** The mocked `invoke` of `@tauri-apps/api/core`, for the tests that let the real `ipc` run. */
export const invoke = vi.fn();

/** Tauri's IPC channel: `ipc` sets `onmessage`, a test may call it to play the backend. */
export class Channel<T = unknown> {
  onmessage: (message: T) => void = () => {};
}

/** The factory of `vi.mock("@tauri-apps/api/core")`. `convertFileSrc` builds the address Tauri builds
 *  on Linux and macOS (`<scheme>://localhost/<path>`). */
export function tauriCore() {
  return {
    invoke,
    convertFileSrc: (path: string, protocol = "asset") => `${protocol}://localhost/${encodeURIComponent(path)}`,
    Channel,
  };
}
