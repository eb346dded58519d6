// Saved and recent searches of the shown profile (the backend keeps them; it adds a recent one by
// itself whenever a typed or filtered search runs its first page).
import { ipc } from "./ipc";
import { attempt, type Problem } from "./errors";
import type { Host } from "./library.svelte";
import type { SavedSearch } from "./bindings/SavedSearch";
import type { SearchLists } from "./bindings/SearchLists";
import type { SearchRequest } from "./bindings/SearchRequest";

export class SearchListsState {
  saved = $state.raw<SavedSearch[] | null>(null);
  recent = $state.raw<SavedSearch[] | null>(null);
  /** Loading or changing the lists failed. */
  problem = $state<Problem | null>(null);
  /** Saving failed (an empty name, a full list…): shown next to the name field. */
  saveProblem = $state<Problem | null>(null);
  /** The profile the lists were asked for. */
  #for = "";
  /** Bumped by each call: only the latest answer is the lists' state. */
  #generation = 0;

  readonly host: Host;

  constructor(host: Host) {
    this.host = host;
  }

  reset() {
    this.#for = "";
    this.#generation++;
    this.saved = null;
    this.recent = null;
    this.problem = null;
    this.saveProblem = null;
  }

  /** The search section shows: the lists load once per profile. */
  ensure() {
    if (this.#for === this.host.profile()) return;
    void this.refresh();
  }

  refresh() {
    return this.#call((p) => ipc.searches(p), (p) => (this.problem = p));
  }

  /** Saves the request under `name`; resolves whether it did. */
  async save(name: string, request: SearchRequest): Promise<boolean> {
    return this.#call((p) => ipc.saveSearch(p, name, request), (p) => (this.saveProblem = p));
  }

  remove(id: number) {
    return this.#call((p) => ipc.deleteSavedSearch(p, id), (p) => (this.problem = p));
  }

  clearRecent() {
    return this.#call((p) => ipc.clearRecentSearches(p), (p) => (this.problem = p));
  }

  async #call(task: (profile: string) => Promise<SearchLists>, report: (p: Problem | null) => void): Promise<boolean> {
    const profile = this.host.profile();
    const generation = ++this.#generation;
    this.#for = profile;
    const lists = await attempt(
      () => task(profile),
      (p) => {
        if (generation === this.#generation) report(p);
      },
    );
    if (!lists) return false;
    if (generation === this.#generation) {
      this.saved = lists.saved;
      this.recent = lists.recent;
    }
    return true;
  }
}
