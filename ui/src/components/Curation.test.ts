import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render } from "@testing-library/svelte";

vi.mock("../lib/ipc", () => import("../test/mocks").then((m) => m.ipcModule()));
vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import Main from "../screens/Main.svelte";
import { browse } from "../lib/browse.svelte";
import { DRAG_TYPE } from "../lib/curation.svelte";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import * as fixtures from "../test/fixtures";
import { basketChange, basketView, cached, element as cell, hostile, pwned, summary, whole } from "../test/fixtures";
import { $, settle } from "../test/util";

// The support answer is kept per profile: each test signs in a profile of its own.
let profiles = 0;
const account = () => fixtures.account({ name: `Work ${++profiles}`, server: "https://dam.example.org", auth: "loopback" });

/** The main view with basket 7 (four records) open. */
async function mainWithBasket(view = basketView(7, [cell(1), cell(2), cell(3), cell(4)])) {
  const shown = render(Main, { account: account() });
  await settle();
  ipc.basket.mockResolvedValueOnce(view);
  await fireEvent.click($("[data-basket='7']")!);
  await settle();
  return shown;
}

const gridCell = (record: number) => $(`#grid .cell[data-record='1/${record}']`)!;

describe("curation in the main view", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    browse.reset();
    ipc.baskets.mockResolvedValue([
      summary(7, { element_count: 4 }),
      summary(8, { name: "Press picks", element_count: 2 }),
      summary(9, { name: "From Jo", own: false, shared_by: "Jo Lee" }),
    ]);
    ipc.profiles.mockResolvedValue({ profiles: [], active: null });
    ipc.record.mockImplementation(() => new Promise(() => {}));
    ipc.related.mockImplementation(() => new Promise(() => {}));
  });

  it("Shift+click, Ctrl+click, Ctrl+A select cells; the bar counts them; Esc clears", async () => {
    // jsdom has no layout: the grid renders three rows of one cell.
    await mainWithBasket(basketView(7, [cell(1), cell(2), cell(3)]));
    await fireEvent.click(gridCell(1));
    expect(gridCell(1).getAttribute("aria-selected")).toBe("true");
    expect($("#selection-bar")).toBeNull();
    await fireEvent.click(gridCell(3), { shiftKey: true });
    expect([1, 2, 3].map((r) => gridCell(r).getAttribute("aria-selected"))).toEqual(["true", "true", "true"]);
    expect($("#selection-count")?.textContent).toBe("3 selected");
    await fireEvent.click(gridCell(2), { shiftKey: true });
    expect(gridCell(3).getAttribute("aria-selected")).toBe("false");
    await fireEvent.click(gridCell(3), { shiftKey: true });
    await fireEvent.click(gridCell(2), { ctrlKey: true });
    expect(gridCell(2).getAttribute("aria-selected")).toBe("false");
    expect($("#selection-count")?.textContent).toBe("2 selected");
    await fireEvent.keyDown($("#grid")!, { key: "a", ctrlKey: true });
    expect($("#selection-count")?.textContent).toBe("3 selected");
    await fireEvent.keyDown($("#grid")!, { key: "Escape" });
    expect($("#selection-bar")).toBeNull();
    expect($("#grid .cell[aria-selected='true']")).toBeNull();
  });

  it("the add menu lists the user's other baskets; picking one adds the selection and says so", async () => {
    await mainWithBasket();
    ipc.addToBasket.mockResolvedValue(basketChange(8, 2, 0, 4));
    await fireEvent.click(gridCell(1));
    await fireEvent.click(gridCell(2), { metaKey: true });
    await fireEvent.click($("#selection-add")!);
    const items = [...document.querySelectorAll("#add-menu [data-add-to]")].map((e) => e.getAttribute("data-add-to"));
    expect(items).toEqual(["8"]);
    expect($("#add-new-basket")).toBeTruthy();
    await fireEvent.click($("#add-menu [data-add-to='8']")!);
    await settle();
    expect(ipc.addToBasket).toHaveBeenCalledWith(browse.profile, 8, [
      { databox_id: 1, record_id: 1 },
      { databox_id: 1, record_id: 2 },
    ]);
    expect($("#add-menu")).toBeNull();
    expect($("[data-basket='8']")?.textContent).toContain("4 elements");
    expect($("#curation-note")?.textContent).toBe("2 added to “Press picks”");
  });

  it("a drag over an own basket highlights it, a drop adds the records; a shared basket refuses", async () => {
    await mainWithBasket();
    ipc.addToBasket.mockResolvedValue(basketChange(8, 1, 0, null));
    const records = JSON.stringify([{ databox_id: 1, record_id: 3 }]);
    const dataTransfer = { types: [DRAG_TYPE], getData: (type: string) => (type === DRAG_TYPE ? records : ""), dropEffect: "" };
    const own = $("[data-basket='8']")!;
    const shared = $("[data-basket='9']")!;
    await fireEvent.dragOver(shared, { dataTransfer });
    expect(shared.classList.contains("drop-target")).toBe(false);
    await fireEvent.dragOver(own, { dataTransfer });
    expect(own.classList.contains("drop-target")).toBe(true);
    await fireEvent.drop(own, { dataTransfer });
    await settle();
    expect(own.classList.contains("drop-target")).toBe(false);
    expect(ipc.addToBasket).toHaveBeenCalledWith(browse.profile, 8, [{ databox_id: 1, record_id: 3 }]);
    expect(own.textContent).toContain("3 elements");
    await fireEvent.drop(shared, { dataTransfer });
    expect(ipc.addToBasket).toHaveBeenCalledTimes(1);
  });

  it("Remove shows on an own basket, takes the cells out, and a refusal puts them back with the reason", async () => {
    await mainWithBasket();
    ipc.removeFromBasket.mockRejectedValue({ code: "forbidden", message: "The server refused.", hint: null });
    await fireEvent.click(gridCell(2), { ctrlKey: true });
    await fireEvent.click($("#selection-remove")!);
    await settle();
    expect(gridCell(2)).toBeTruthy();
    expect(browse.items.map((i) => i.record_id)).toEqual([1, 2, 3, 4]);
    expect($("#curation-error")?.textContent).toContain("could not be removed from “Basket 7”");
    expect($("#curation-error")?.getAttribute("data-code")).toBe("forbidden");
    await fireEvent.click($("#curation-error-dismiss")!);
    expect($("#curation-error")).toBeNull();
  });

  it("delete asks, naming the basket and its elements, then the basket leaves the list and the view", async () => {
    await mainWithBasket();
    ipc.deleteBasket.mockResolvedValue(undefined);
    await fireEvent.click($("#basket-delete")!);
    expect($("#confirm-delete-text")?.textContent).toBe(
      "Delete “Basket 7” and its 4 elements? This cannot be undone on the server.",
    );
    await fireEvent.click($("#confirm-delete-no")!);
    expect($("#confirm-delete")).toBeNull();
    expect(ipc.deleteBasket).not.toHaveBeenCalled();
    await fireEvent.click($("#basket-delete")!);
    await fireEvent.click($("#confirm-delete-yes")!);
    await settle();
    expect(ipc.deleteBasket).toHaveBeenCalledWith(browse.profile, 7);
    expect($("#confirm-delete")).toBeNull();
    expect($("[data-basket='7']")).toBeNull();
    expect($("#basket-header")).toBeNull();
    expect($("#grid")).toBeNull();
  });

  it("a basket shared by someone else: its edits are disabled and say why", async () => {
    ipc.baskets.mockResolvedValue([summary(7, { own: false, shared_by: "Jo Lee" })]);
    await mainWithBasket(basketView(7, [cell(1)], { own: false, shared_by: "Jo Lee" }));
    for (const id of ["#basket-rename", "#basket-describe", "#basket-delete"]) {
      expect(($(id) as HTMLButtonElement).disabled, id).toBe(true);
      expect($(id)?.getAttribute("title")).toBe("Shared by Jo Lee: only its owner can change it.");
    }
    expect($("#basket-readonly-note")?.textContent).toBe("Shared by Jo Lee: only its owner can change it.");
    await fireEvent.click(gridCell(1), { ctrlKey: true });
    expect($("#selection-bar")).toBeTruthy();
    expect($("#selection-remove")).toBeNull();
  });

  it("a server without API v2: a note by the basket list, no Add nor Remove in the bar, no dragging", async () => {
    ipc.curationSupport.mockResolvedValue({ records: false });
    await mainWithBasket();
    expect($("#curation-unsupported")?.textContent).toBe(
      "This server cannot add records to baskets (Phraseanet 4.0 or later).",
    );
    await fireEvent.click(gridCell(1), { ctrlKey: true });
    expect($("#selection-bar")).toBeTruthy();
    expect($("#selection-add")).toBeNull();
    expect($("#selection-remove")).toBeNull();
    expect($("#selection-download")).toBeTruthy();
    expect(gridCell(1).getAttribute("draggable")).toBeNull();
  });

  it("a new basket: the form asks for a name, then the basket joins the list and opens", async () => {
    render(Main, { account: account() });
    await settle();
    await fireEvent.click($("#basket-new")!);
    expect($("#basket-form")).toBeTruthy();
    expect(document.activeElement?.id).toBe("basket-name");
    await fireEvent.click($("#basket-save")!);
    expect($("#basket-form-error")?.textContent).toContain("Give the basket a name.");
    expect(ipc.createBasket).not.toHaveBeenCalled();
    ipc.createBasket.mockResolvedValue(summary(12, { name: hostile, element_count: 0 }));
    ipc.basket.mockResolvedValue(basketView(12, [], { name: hostile }));
    await fireEvent.input($("#basket-name")!, { target: { value: hostile } });
    await fireEvent.input($("#basket-description")!, { target: { value: "For the press" } });
    await fireEvent.click($("#basket-save")!);
    await settle();
    await settle();
    expect(ipc.createBasket).toHaveBeenCalledWith(browse.profile, hostile, "For the press");
    expect($("#basket-form")).toBeNull();
    expect($("[data-basket='12']")?.textContent).toContain(hostile);
    // Server text stays text.
    expect($("#basket-name")?.textContent).toBe(hostile);
    expect(document.querySelector("#basket-list img, #basket-header img")).toBeNull();
    expect(pwned()).toBeUndefined();
  });

  it("rename edits the name in the form (the only #basket-name meanwhile); Escape closes it", async () => {
    await mainWithBasket();
    await fireEvent.click($("#basket-rename")!);
    expect(document.querySelectorAll("#basket-name").length).toBe(1);
    expect(($("#basket-name") as HTMLInputElement).value).toBe("Basket 7");
    await fireEvent.keyDown(window, { key: "Escape" });
    expect($("#basket-form")).toBeNull();
    expect($("#basket-name")?.tagName).toBe("H1");
    // Escape went to the form: the view kept its basket and panel state.
    expect($("#basket-header")).toBeTruthy();
    ipc.renameBasket.mockResolvedValue(summary(7, { name: "Renamed" }));
    await fireEvent.click($("#basket-rename")!);
    await fireEvent.input($("#basket-name")!, { target: { value: "Renamed" } });
    await fireEvent.submit($("#basket-form")!);
    await settle();
    expect($("#basket-name")?.textContent).toBe("Renamed");
    expect($("[data-basket='7']")?.textContent).toContain("Renamed");
  });

  it("a saved copy of the basket shows at once with its state line", async () => {
    render(Main, { account: account() });
    await settle();
    ipc.cachedBasketStart.mockResolvedValue(whole(cached(basketView(7, [cell(1), cell(2)]))));
    ipc.basket.mockReturnValue(new Promise(() => {}));
    await fireEvent.click($("[data-basket='7']")!);
    await settle();
    expect(document.querySelectorAll("#grid .cell").length).toBe(2);
    expect($("#view-state")?.textContent).toMatch(/^Saved copy from .+ — updating…$/);
    expect($("#basket-loading")).toBeNull();
  });
});
