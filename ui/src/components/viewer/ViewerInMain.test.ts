// The viewer and the compare as the main view opens and closes them.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../../lib/ipc", () => import("../../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../../test/mocks").then((m) => m.tauriCore()));

import Main from "../../screens/Main.svelte";
import { browse } from "../../lib/browse.svelte";
import { compare } from "../../lib/viewer/compare.svelte";
import { ipc, resetIpc, stubShowing } from "../../test/mocks";
import * as fixtures from "../../test/fixtures";
import { basketView, element as cell, summary } from "../../test/fixtures";
import { $, settle } from "../../test/util";

let profiles = 0;
const account = () => fixtures.account({ name: `Viewer ${++profiles}`, server: "https://dam.example.org", auth: "loopback" });
const gridCell = (record: number) => $(`#grid .cell[data-record='1/${record}']`)!;

async function mainWithBasket() {
  render(Main, { account: account() });
  await settle();
  ipc.basket.mockResolvedValueOnce(basketView(7, [cell(1), cell(2), cell(3)]));
  await fireEvent.click($("[data-basket='7']")!);
  await settle();
}

describe("the viewer in the main view", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    browse.reset();
    compare.close();
    ipc.baskets.mockResolvedValue([summary(7, { element_count: 3 })]);
    ipc.profiles.mockResolvedValue({ profiles: [], active: null });
    ipc.record.mockImplementation((_p: string, ref: { record_id: number }) => Promise.resolve(fixtures.details(ref.record_id)));
    ipc.related.mockImplementation((_p: string, ref: { record_id: number }) => Promise.resolve(fixtures.related(ref.record_id)));
  });

  it("opens on a double-click, moves, and on Escape gives the focus back to the grid cell it shows", async () => {
    await mainWithBasket();
    await fireEvent.dblClick(gridCell(1));
    await settle();
    expect($("#viewer")).not.toBeNull();
    expect($("#viewer-position")?.textContent).toBe("1 of 3");
    await fireEvent.keyDown($("#viewer")!, { key: "ArrowRight" });
    await settle();
    expect($("#viewer-position")?.textContent).toBe("2 of 3");
    await fireEvent.keyDown($("#viewer")!, { key: "Escape" });
    await settle();
    await settle();
    expect($("#viewer")).toBeNull();
    expect(document.activeElement).toBe(gridCell(2));
    // The selection is the record the viewer showed: Escape closed the viewer, not the selection.
    expect(gridCell(2).getAttribute("aria-selected")).toBe("true");
  });

  it("the selection bar's Compare shows two to four selected records; Escape leaves the selection", async () => {
    await mainWithBasket();
    await fireEvent.click(gridCell(1));
    await fireEvent.click(gridCell(3), { ctrlKey: true });
    const button = $("#selection-compare") as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    await settle();
    const panes = [...document.querySelectorAll<HTMLElement>("#viewer-compare .compare-pane")];
    expect(panes.map((p) => p.dataset.record)).toEqual(["1/1", "1/3"]);
    await fireEvent.keyDown($("#viewer-compare")!, { key: "Escape" });
    await settle();
    expect($("#viewer-compare")).toBeNull();
    expect($("#selection-count")?.textContent).toBe("2 selected");
  });

  it("C in the viewer compares the selection", async () => {
    await mainWithBasket();
    await fireEvent.click(gridCell(1));
    await fireEvent.click(gridCell(2), { ctrlKey: true });
    await fireEvent.dblClick(gridCell(2));
    await settle();
    expect($("#viewer")).not.toBeNull();
    await fireEvent.keyDown($("#viewer")!, { key: "c" });
    await settle();
    expect(document.querySelectorAll("#viewer-compare .compare-pane").length).toBe(2);
  });

  it("the selection bar's Compare is off for a single selected record", async () => {
    await mainWithBasket();
    await fireEvent.click(gridCell(1), { ctrlKey: true });
    expect(($("#selection-compare") as HTMLButtonElement | null)?.disabled).toBe(true);
  });
});
