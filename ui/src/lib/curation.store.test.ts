import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BasketChange } from "./bindings/BasketChange";
import type { GridItem } from "./bindings/GridItem";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { DRAG_TYPE, parseRefs } from "./curation.svelte";
import { ipc, resetIpc, stubShowing } from "../test/mocks";
import * as fixtures from "../test/fixtures";
import { basketChange as change, element as cell, searchPage as page, storyView, summary } from "../test/fixtures";
import { opened as openedWith } from "../test/browse";
import { later, settle } from "../test/util";

/** Basket `id`, own or shared by Jo Lee. */
const basketView = (id: number, elements: GridItem[], own = true) =>
  fixtures.basketView(id, elements, own ? {} : { own: false, shared_by: "Jo Lee" });

const forbidden = { code: "forbidden", message: "The server refused.", hint: "Ask for access." };
const ref = (record: number) => ({ databox_id: 1, record_id: record });

/** A store showing "Work" whose server can curate, with basket 7 (three records) open. */
const opened = (elements = [cell(1), cell(2), cell(3)], own = true) => openedWith(basketView(7, elements, own));

describe("selection in the browse store", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    ipc.baskets.mockResolvedValue([summary(7), summary(8)]);
    ipc.record.mockImplementation(async () => new Promise(() => {}));
    ipc.related.mockImplementation(async () => new Promise(() => {}));
  });

  it("pick() selects one cell and shows it in the panel; Shift and Ctrl/Cmd extend the selection", async () => {
    const store = await opened([cell(1), cell(2), cell(3), cell(4)]);
    store.pick(1);
    expect(store.selected).toBe(1);
    expect(store.selection.indexes).toEqual([1]);
    expect(store.selection.shown).toBe(false);
    store.pick(3, { shift: true });
    expect(store.selection.indexes).toEqual([1, 2, 3]);
    expect(store.selected).toBe(3);
    store.pick(0, { toggle: true });
    expect(store.selection.indexes).toEqual([0, 1, 2, 3]);
    // Toggling one off leaves the panel where it is.
    store.pick(2, { toggle: true });
    expect(store.selection.indexes).toEqual([0, 1, 3]);
    expect(store.selected).toBe(0);
    // The viewer's steps leave a multi-selection alone.
    store.move(1);
    expect(store.selection.indexes).toEqual([0, 1, 3]);
    store.unselect(true);
    expect(store.selection.size).toBe(0);
    expect(store.selected).toBeNull();
  });

  it("the selection clears when the grid's cells are replaced: another basket, a story, a search", async () => {
    const store = await opened();
    store.selection.all(store.items.length);
    ipc.basket.mockResolvedValueOnce(basketView(8, [cell(5)]));
    await store.pickBasket(8);
    expect(store.selection.size).toBe(0);

    store.pick(0, { toggle: true });
    ipc.story.mockResolvedValue(storyView(5, [cell(20), cell(21)], { title: "S" }));
    await store.openStory(ref(5));
    expect(store.selection.size).toBe(0);
    store.selection.all(2);
    store.closeStory();
    // Back in the basket: the cell selected when the story opened, alone.
    expect(store.selection.indexes).toEqual([0]);
    expect(store.selection.shown).toBe(false);

    store.setSection("search");
    ipc.search.mockResolvedValue(page([cell(30), cell(31)]));
    await store.search.run();
    store.selection.all(2);
    await store.search.run();
    expect(store.selection.size).toBe(0);
  });

  it("downloadSelection() downloads the selected originals and opens the downloads panel", async () => {
    const store = await opened();
    ipc.downloadRecords.mockResolvedValue([1, 2]);
    store.pick(0);
    store.pick(2, { toggle: true });
    await store.downloadSelection();
    expect(ipc.downloadRecords).toHaveBeenCalledWith("Work", [ref(1), ref(3)], expect.any(Function));
    expect(store.downloadsOpen).toBe(true);
  });
});

describe("curation", () => {
  beforeEach(() => {
    resetIpc();
    stubShowing();
    ipc.baskets.mockResolvedValue([summary(7), summary(8, { element_count: 4 }), summary(9, { own: false, shared_by: "Jo" })]);
    ipc.record.mockImplementation(async () => new Promise(() => {}));
    ipc.related.mockImplementation(async () => new Promise(() => {}));
  });
  afterEach(() => vi.useRealTimers());

  it("asks the server once per profile whether it can add records", async () => {
    const store = await opened();
    expect(store.curation.supported).toBe(true);
    store.show("Work");
    await settle();
    expect(ipc.curationSupport).toHaveBeenCalledTimes(1);
    expect(ipc.curationSupport).toHaveBeenCalledWith("Work");
  });

  it("the add menu adds the selection: the refs go to the server, the count and a note follow", async () => {
    const store = await opened();
    store.pick(0);
    store.pick(1, { shift: true });
    expect(store.curation.targets.map((b) => b.id)).toEqual([8]);
    ipc.addToBasket.mockResolvedValue(change(8, 1, 1, null));
    expect(await store.curation.addSelection(8)).toBe(true);
    expect(ipc.addToBasket).toHaveBeenCalledWith("Work", 8, [ref(1), ref(2)]);
    // No count from the server: the old count plus what changed.
    expect(store.baskets?.find((b) => b.id === 8)?.element_count).toBe(5);
    expect(store.curation.note).toBe("1 added to “Basket 8”, 1 was already there");
    expect(store.curation.problem).toBeNull();
    // The open basket did not change.
    expect(ipc.basket).toHaveBeenCalledTimes(1);
  });

  it("a drop on an own basket adds the dragged records; other baskets and other data are refused", async () => {
    const store = await opened();
    ipc.addToBasket.mockResolvedValue(change(8, 2, 0, 6));
    expect(store.curation.accepts(8)).toBe(true);
    expect(store.curation.accepts(9)).toBe(false);
    expect(await store.curation.drop(8, JSON.stringify([ref(2), ref(3)]))).toBe(true);
    expect(ipc.addToBasket).toHaveBeenCalledWith("Work", 8, [ref(2), ref(3)]);
    expect(store.baskets?.find((b) => b.id === 8)?.element_count).toBe(6);
    expect(await store.curation.drop(9, JSON.stringify([ref(2)]))).toBe(false);
    expect(await store.curation.drop(8, "not json")).toBe(false);
    expect(await store.curation.drop(8, JSON.stringify([{ databox_id: "1", record_id: 2 }]))).toBe(false);
    expect(ipc.addToBasket).toHaveBeenCalledTimes(1);
    expect(DRAG_TYPE).toBe("application/x-phraseanet-records");
  });

  it("dragging a selected cell carries the selection, any other cell itself", async () => {
    const store = await opened();
    store.pick(0);
    store.pick(1, { toggle: true });
    expect(store.curation.dragged(1)).toEqual([ref(1), ref(2)]);
    expect(store.curation.dragged(2)).toEqual([ref(3)]);
    expect(parseRefs(JSON.stringify(store.curation.dragged(1)))).toEqual([ref(1), ref(2)]);
  });

  it("adding to the open basket reloads it in place; the sidebar count follows its elements", async () => {
    const store = await opened([cell(1), cell(2)]);
    store.pick(1);
    ipc.addToBasket.mockResolvedValue(change(7, 1, 0, 3));
    ipc.basket.mockResolvedValueOnce(basketView(7, [cell(1), cell(2), cell(9)]));
    await store.curation.add(7, [ref(9)]);
    await settle();
    expect(ipc.basket).toHaveBeenCalledTimes(2);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 9]);
    // The grid was not replaced by a loading notice: the selection and the panel stayed.
    expect(store.selected).toBe(1);
    expect(store.selection.indexes).toEqual([1]);
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBe(3);
  });

  it("a refused add names what failed and changes no count", async () => {
    const store = await opened();
    ipc.addToBasket.mockRejectedValue(forbidden);
    expect(await store.curation.add(8, [ref(1)])).toBe(false);
    expect(store.curation.problem?.code).toBe("forbidden");
    expect(store.curation.problem?.message).toBe("1 record could not be added to “Basket 8”. The server refused.");
    expect(store.baskets?.find((b) => b.id === 8)?.element_count).toBe(4);
  });

  it("remove takes the selected elements out at once and puts them back where they were when refused", async () => {
    const store = await opened([cell(1), cell(2), cell(3), cell(4)]);
    const answer = later<BasketChange>();
    ipc.removeFromBasket.mockReturnValue(answer.promise);
    store.pick(1);
    store.pick(3, { toggle: true });
    expect(store.curation.canRemove).toBe(true);
    const removing = store.curation.removeSelection();
    expect(ipc.removeFromBasket).toHaveBeenCalledWith("Work", 7, [ref(2), ref(4)]);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 3]);
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBe(2);
    expect(store.selection.size).toBe(0);
    answer.reject(forbidden);
    expect(await removing).toBe(false);
    expect(store.items.map((i) => i.record_id)).toEqual([1, 2, 3, 4]);
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBe(4);
    expect(store.curation.problem?.message).toBe(
      "2 elements could not be removed from “Basket 7”: they are back. The server refused.",
    );
  });

  it("a remove the server accepts stays, with a note", async () => {
    const store = await opened();
    ipc.removeFromBasket.mockResolvedValue(change(7, 1, 0, 2));
    store.pick(0, { toggle: true });
    expect(await store.curation.removeSelection()).toBe(true);
    expect(store.items.map((i) => i.record_id)).toEqual([2, 3]);
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBe(2);
    expect(store.curation.note).toBe("1 removed from “Basket 7”");
  });

  it("no remove inside a story of the basket, nor in another section", async () => {
    const store = await opened();
    ipc.story.mockResolvedValue(storyView(3, [cell(20)], { title: "S" }));
    await store.openStory(ref(3));
    store.pick(0, { toggle: true });
    expect(store.curation.canRemove).toBe(false);
    expect(await store.curation.removeSelection()).toBe(false);
    // The open basket takes the story's records.
    expect(store.curation.targets.map((b) => b.id)).toEqual([7, 8]);
    store.closeStory();
    store.setSection("search");
    expect(store.curation.canRemove).toBe(false);
    expect(ipc.removeFromBasket).not.toHaveBeenCalled();
  });

  it("delete asks first, then the basket leaves the list and the view shows no basket", async () => {
    const store = await opened();
    ipc.deleteBasket.mockResolvedValue(undefined);
    store.curation.askDelete();
    expect(store.curation.confirming).toBe(true);
    expect(store.curation.deleteCount).toBe(3);
    expect(ipc.deleteBasket).not.toHaveBeenCalled();
    expect(await store.curation.confirmDelete()).toBe(true);
    expect(ipc.deleteBasket).toHaveBeenCalledWith("Work", 7);
    expect(store.baskets?.map((b) => b.id)).toEqual([8, 9]);
    expect(store.basketId).toBeNull();
    expect(store.basket).toBeNull();
    expect(store.items).toEqual([]);
    expect(store.curation.confirming).toBe(false);
    expect(store.curation.note).toBe("Basket “Basket 7” deleted");
  });

  it("a refused delete keeps the basket and says why in the dialog", async () => {
    const store = await opened();
    ipc.deleteBasket.mockRejectedValue(forbidden);
    store.curation.askDelete();
    expect(await store.curation.confirmDelete()).toBe(false);
    expect(store.curation.confirming).toBe(true);
    expect(store.curation.dialogProblem?.code).toBe("forbidden");
    expect(store.baskets?.map((b) => b.id)).toEqual([7, 8, 9]);
    expect(store.basketId).toBe(7);
  });

  it("baskets the user does not own take no edit, delete, add nor remove", async () => {
    const store = await opened([cell(1)], false);
    store.curation.openEdit("rename");
    store.curation.askDelete();
    expect(store.curation.form).toBeNull();
    expect(store.curation.confirming).toBe(false);
    store.pick(0, { toggle: true });
    expect(store.curation.canRemove).toBe(false);
    expect(await store.curation.add(9, [ref(1)])).toBe(false);
    expect(await store.curation.confirmDelete()).toBe(false);
    expect(ipc.addToBasket).not.toHaveBeenCalled();
    expect(ipc.deleteBasket).not.toHaveBeenCalled();
  });

  it("a server without API v2: no adding, removing nor dropping", async () => {
    ipc.curationSupport.mockResolvedValue({ records: false });
    const store = await opened();
    expect(store.curation.supported).toBe(false);
    store.pick(0, { toggle: true });
    expect(store.curation.canRemove).toBe(false);
    expect(store.curation.accepts(8)).toBe(false);
    expect(await store.curation.drop(8, JSON.stringify([ref(1)]))).toBe(false);
    expect(await store.curation.addSelection(8)).toBe(false);
    expect(ipc.addToBasket).not.toHaveBeenCalled();
  });

  it("a new basket from the sidebar joins the list and opens", async () => {
    const store = await opened();
    ipc.createBasket.mockResolvedValue(summary(12, { name: "Picks", element_count: 0 }));
    ipc.basket.mockResolvedValueOnce(basketView(12, []));
    store.curation.openNew();
    expect(await store.curation.save("  Picks ", "For the press")).toBe(true);
    expect(ipc.createBasket).toHaveBeenCalledWith("Work", "Picks", "For the press");
    expect(store.baskets?.[0]?.id).toBe(12);
    expect(store.curation.form).toBeNull();
    await settle();
    expect(store.basketId).toBe(12);
  });

  it("“New basket…” of the add menu creates the basket and adds the selection, the grid stays", async () => {
    const store = await opened();
    store.pick(0);
    store.pick(2, { shift: true });
    ipc.createBasket.mockResolvedValue(summary(12, { name: "Picks", element_count: 0 }));
    ipc.addToBasket.mockResolvedValue(change(12, 3, 0, 3));
    store.curation.openNew(store.selection.refs(store.items));
    await store.curation.save("Picks", "");
    expect(ipc.addToBasket).toHaveBeenCalledWith("Work", 12, [ref(1), ref(2), ref(3)]);
    expect(store.baskets?.find((b) => b.id === 12)?.element_count).toBe(3);
    expect(store.basketId).toBe(7);
    expect(store.curation.note).toBe("3 added to “Picks”");
  });

  it("a name the server refuses keeps the form open with its problem", async () => {
    const store = await opened();
    ipc.createBasket.mockRejectedValue({ code: "invalid-input", message: "The name is too long.", hint: null });
    store.curation.openNew();
    expect(await store.curation.save("x".repeat(200), "")).toBe(false);
    expect(store.curation.form?.mode).toBe("new");
    expect(store.curation.dialogProblem?.code).toBe("invalid-input");
  });

  it("rename and describe change the list and the open basket's header", async () => {
    const store = await opened();
    ipc.renameBasket.mockResolvedValue(summary(7, { name: "Renamed" }));
    ipc.describeBasket.mockResolvedValue(summary(7, { name: "Renamed", description: "New words" }));
    store.curation.openEdit("rename");
    await store.curation.save("Renamed", "");
    expect(ipc.renameBasket).toHaveBeenCalledWith("Work", 7, "Renamed");
    expect(store.basket?.header.name).toBe("Renamed");
    expect(store.baskets?.find((b) => b.id === 7)?.name).toBe("Renamed");
    // The count the list knew stays.
    expect(store.baskets?.find((b) => b.id === 7)?.element_count).toBe(3);
    store.curation.openEdit("describe");
    await store.curation.save("", "New words");
    expect(ipc.describeBasket).toHaveBeenCalledWith("Work", 7, "New words");
    expect(store.basket?.header.description).toBe("New words");
  });

  it("an answer for a view that went away changes nothing", async () => {
    const store = await opened();
    const answer = later<BasketChange>();
    ipc.addToBasket.mockReturnValue(answer.promise);
    const adding = store.curation.add(8, [ref(1)]);
    store.leave();
    answer.resolve(change(8, 1, 0, 5));
    expect(await adding).toBe(false);
    expect(store.baskets?.find((b) => b.id === 8)?.element_count).toBe(4);
  });
});
