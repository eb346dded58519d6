// What one showing of the main view holds (see BrowseState): split out of browse.svelte.ts, which
// renders and drives it.
import type { Problem } from "./errors";
import type { StoryView } from "./bindings/StoryView";
import { SavedCopy } from "./saved.svelte";
import { Panel } from "./panel.svelte";

/** Where the grid was when a story opened over it: `#story-back` comes back there. */
export type Return = { scroll: number; selected: number | null };
/** What a section left keeps for when it comes back. */
export type Kept = { stories: StoryView[]; trail: Return[]; selected: number | null; scroll: number };
export const fresh = (): Kept => ({ stories: [], trail: [], selected: null, scroll: 0 });

/** What one showing of the main view holds, from when it appears until it goes away (`leave`). A new
 * showing starts from scratch, and answers that come back to one that went away land here, unseen. */
export class Showing {
  /** The signed-in profile the view shows. */
  profile = "";
  problem = $state<Problem | null>(null);
  loadingBasket = $state(false);
  /** Bumped by each basket load: the answers of an older one are stale. */
  basketLoad = 0;
  /** The basket's grid stays on screen while it loads: a saved copy, or the basket reloaded in place. */
  keep = $state(false);
  /** While a basket loads: when it started, the seconds since, and the bytes received so far. */
  loadStarted = 0;
  loadSeconds = $state(0);
  loadBytes = $state(0);
  /** The state lines of the saved copies shown: the basket list, the open basket. */
  listCopy = new SavedCopy();
  basketCopy = new SavedCopy();
  /** The selected record's panel. */
  panel = new Panel();
  /** A short confirmation (the toast). */
  note = $state("");
  /** What Retry of `problem` does again (null: reload the list and the open basket in place). */
  again: (() => unknown) | null = null;
  /** The address a browser did not open (the Lightbox), offered to copy beside the problem. */
  browserLink = $state<string | null>(null);

  /** A basket starts loading: the seconds count until the returned stop is called. */
  startLoad(): () => void {
    this.loadingBasket = true;
    this.loadStarted = Date.now();
    this.loadSeconds = 0;
    this.loadBytes = 0;
    const tick = setInterval(() => (this.loadSeconds = Math.round((Date.now() - this.loadStarted) / 1000)), 1000);
    return () => clearInterval(tick);
  }
}
