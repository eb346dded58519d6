// A BrowseState on screen, for the store tests. The test file mocks `ipc` (see ./mocks.ts) first.
import { BrowseState } from "../lib/browse.svelte";
import type { BasketView } from "../lib/bindings/BasketView";
import { ipc } from "./mocks";
import { settle } from "./util";

/** A fresh store showing profile "Work", its first loads done. */
export async function shown(): Promise<BrowseState> {
  const store = new BrowseState();
  store.show("Work");
  await settle();
  return store;
}

/** `shown()`, then the basket `view` open in it. */
export async function opened(view: BasketView): Promise<BrowseState> {
  const store = await shown();
  ipc.basket.mockResolvedValueOnce(view);
  await store.pickBasket(view.header.id);
  return store;
}
