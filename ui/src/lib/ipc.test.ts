import { describe, expect, it, vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import { ipc, whenSignedOut } from "./ipc";
import { invoke } from "../test/mocks";

describe("the signed-out listener", () => {
  it("hears a rejected token and a session that already ended, for the profile named", async () => {
    const heard: string[] = [];
    whenSignedOut((profile, problem) => heard.push(`${profile}:${problem.code}`));
    for (const code of ["signed-out", "not-signed-in", "network"]) {
      invoke.mockRejectedValueOnce({ code, message: code, hint: null });
      await expect(ipc.baskets("Work")).rejects.toMatchObject({ code });
    }
    invoke.mockRejectedValueOnce({ code: "signed-out", message: "x", hint: null });
    await expect(ipc.about()).rejects.toMatchObject({ code: "signed-out" });
    expect(heard).toEqual(["Work:signed-out", "Work:not-signed-in"]);
    whenSignedOut(null);
  });
});
