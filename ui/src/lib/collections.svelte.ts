// The collections the user can see: the search form's collection filter lists them, and the
// collections section shows one of them in the grid (its records, newest first, paged like a search).
import { ipc } from "./ipc";
import { attempt, type Problem } from "./errors";
import { SearchState, type Host } from "./library.svelte";
import type { CollectionView } from "./bindings/CollectionView";
import type { DataboxView } from "./bindings/DataboxView";

/** A collection and the databox it belongs to. */
export type Shown = { databox: DataboxView; collection: CollectionView };

export class CollectionsState {
  list = $state<DataboxView[] | null>(null);
  problem = $state<Problem | null>(null);
  /** The collection the grid shows; null before one is picked. */
  current = $state<Shown | null>(null);
  /** Its records: a search of its own, so the search section keeps its query. */
  readonly results: SearchState;
  /** The profile the list was asked for (once per profile). */
  #for = "";

  readonly host: Host;

  constructor(host: Host) {
    this.host = host;
    this.results = new SearchState(host);
  }

  reset() {
    this.#for = "";
    this.list = null;
    this.problem = null;
    this.current = null;
    this.results.reset();
  }

  /** Loads the list once per profile (again after a failure). */
  async ensure() {
    const profile = this.host.profile();
    if (this.#for === profile) return;
    this.#for = profile;
    const list = await attempt(
      () => ipc.collections(profile),
      (p) => {
        if (this.#for === profile) this.problem = p;
      },
    );
    if (this.#for !== profile) return;
    if (list) this.list = list;
    else this.#for = "";
  }

  /** The name of a collection for a chip: "databox / collection", or its id when not listed. */
  label(baseId: number): string {
    const shown = this.find(baseId);
    return shown ? `${shown.databox.name} / ${shown.collection.name}` : `#${baseId}`;
  }

  find(baseId: number): Shown | null {
    for (const databox of this.list ?? []) {
      const collection = databox.collections.find((c) => c.base_id === baseId);
      if (collection) return { databox, collection };
    }
    return null;
  }

  /** Shows a collection's records, newest first. */
  open(baseId: number) {
    const shown = this.find(baseId);
    if (!shown) return Promise.resolve();
    this.current = shown;
    const r = this.results;
    r.reset();
    r.bases = [baseId];
    r.sort = "created_on";
    r.ord = "desc";
    r.recordType = "";
    r.stories = false;
    return r.run();
  }
}
