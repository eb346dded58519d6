// The record panel of the main view: the selected record's details (its saved copy first, when the app
// kept one) and its "Where is it used". One per showing of the main view (see Showing).
import { ipc } from "./ipc";
import { attempt, type Problem } from "./errors";
import { savedCopy, SavedCopy } from "./saved.svelte";
import type { ElementRef } from "./bindings/ElementRef";
import type { RecordDetails } from "./bindings/RecordDetails";
import type { RecordRef } from "./bindings/RecordRef";
import type { RelatedView } from "./bindings/RelatedView";

export const same = (a: RecordRef, b: { databox_id: number; record_id: number } | null) =>
  b !== null && a.databox_id === b.databox_id && a.record_id === b.record_id;

export class Panel {
  details = $state<RecordDetails | null>(null);
  problem = $state<Problem | null>(null);
  /** The state line of a saved copy shown while the server is asked (`#record-state`). */
  copy = new SavedCopy();
  /** "Where is it used": for which record, its answer, or why there is none. */
  relatedFor = $state<RecordRef | null>(null);
  related = $state<RelatedView | null>(null);
  relatedProblem = $state<Problem | null>(null);

  /** Nothing shows (another grid, another cell). */
  clear() {
    this.details = null;
    this.copy.clear();
  }

  /** A record's details: its saved copy at once, if any, then the server's. `mine` says whether the
   * panel still shows this record (another cell may have been selected meanwhile). */
  async load(profile: string, record: RecordRef, element: ElementRef | null, mine: () => boolean) {
    this.clear();
    let answered = false;
    const answer = attempt(
      () => ipc.record(profile, record, element),
      (p) => {
        this.problem = p;
      },
    );
    const copied = savedCopy(() => ipc.cachedRecord(profile, record)).then((copy) => {
      if (!copy || answered || !mine() || this.details) return;
      this.details = copy.value;
      this.copy.shown(copy.saved_at);
    });
    const loaded = await answer;
    answered = loaded !== undefined;
    // Offline, the failure may come first: the copy still shows, said to be one.
    if (!loaded) await copied;
    if (!mine()) return;
    if (loaded) {
      this.details = loaded;
      this.copy.fresh(false, true);
    } else this.copy.failed();
  }

  /** Loads "Where is it used" for `record`, unless it is loaded or loading already. */
  async loadRelated(profile: string, record: RecordRef) {
    if (this.relatedFor && same(this.relatedFor, record) && !this.relatedProblem) return;
    this.relatedFor = record;
    this.related = null;
    const view = await attempt(
      () => ipc.related(profile, record),
      (p) => {
        if (this.relatedFor && same(this.relatedFor, record)) this.relatedProblem = p;
      },
    );
    // Another record is shown meanwhile: this answer is not its.
    if (view && this.relatedFor && same(this.relatedFor, record)) this.related = view;
  }

  /** "Where is it used" of `item` (null while it loads, failed, or is another record's). */
  relatedOf(item: RecordRef | null): RelatedView | null {
    return this.relatedFor && same(this.relatedFor, item) ? this.related : null;
  }
  relatedProblemOf(item: RecordRef | null): Problem | null {
    return this.relatedFor && same(this.relatedFor, item) ? this.relatedProblem : null;
  }
  relatedLoadingOf(item: RecordRef | null): boolean {
    return this.relatedFor !== null && same(this.relatedFor, item) && !this.related && !this.relatedProblem;
  }
}
