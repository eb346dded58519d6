// The window as a desktop app (issue #18): the app's actions (one dispatcher for the native menu's
// items and the keys of shortcuts.ts), the window title, "finished" notifications, and drag out.
import { tick } from "svelte";
import { ipc } from "./ipc";
import { t } from "./i18n";
import { attempt, type Problem } from "./errors";
import { browse, type BrowseState } from "./browse.svelte";
import { layout } from "./layout.svelte";
import { actionOf, menuLabels, type AppAction } from "./shortcuts";
import { onKeepFinished, type KeepFinished } from "./keep.svelte";
import type { DownloadItem } from "./bindings/DownloadItem";
import type { DragProgress } from "./bindings/DragProgress";
import type { RecordRef } from "./bindings/RecordRef";

/** The same action from the menu and from its key (GTK may deliver both for one press) runs once. */
const ONCE_WITHIN_MS = 300;
/** A download (or a "Download all") that ran this long is worth a notification when it ends. */
export const LONG_DOWNLOAD_MS = 10_000;
const THUMB = { min: 96, max: 320, step: 16 };

/** A drag out: its files being fetched, then ready for the OS drag (`paths`), or why it failed. */
export type DragOut = { id: number; progress: DragProgress | null; paths: string[] | null; problem: Problem | null };

class DesktopState {
  /** The shortcut overlay (`#shortcuts`) is open. */
  shortcutsOpen = $state(false);
  drag = $state<DragOut | null>(null);
  #last: { action: string; source: string; at: number } | null = null;
  #drags = 0;

  /** Runs an action of the table (`source` says who asked, for the once-only rule). False when it
   *  could not apply here (nothing selected, no basket open…). */
  run(action: AppAction, source: "menu" | "key" = "key", now = Date.now()): boolean {
    const last = this.#last;
    if (last && last.action === action && last.source !== source && now - last.at < ONCE_WITHIN_MS) return true;
    this.#last = { action, source, at: now };
    return perform(action, browse);
  }

  /** The native menu, from the table (labels in the window's language); its items run `run`. */
  async installMenu(): Promise<void> {
    await ipc.setMenu(menuLabels(), (id) => {
      if (isAppAction(id)) this.run(id, "menu");
    });
  }

  /** The window-wide key handler of the table's app actions (plain keys never while typing). App and
   *  Main both install it (the overlay works on every screen, Main's keys in Main alone too): each
   *  key press is looked at once. */
  onkeydown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || looked.has(event)) return;
    looked.add(event);
    const action = actionOf(event);
    if (!action) return;
    const plain = !(event.ctrlKey || event.metaKey || event.altKey) && !/^F\d+$/.test(event.key);
    if (plain && typing(event.target)) return;
    // A modal dialog keeps the keyboard, apart from the overlay's own key.
    if (modalOpen() && !(action === "shortcuts" && this.shortcutsOpen)) return;
    if (this.run(action, "key")) event.preventDefault();
  };

  /** Fetches the files of `records` for a drag out; the handle (`#drag-out-handle`) shows once ready. */
  async prepareDrag(profile: string, records: RecordRef[]): Promise<void> {
    if (records.length === 0) return;
    const id = ++this.#drags;
    this.drag = { id, progress: null, paths: null, problem: null };
    const paths = await attempt(
      () => ipc.prepareDrag(profile, records, (progress) => this.#update(id, { progress })),
      (problem) => this.#update(id, { problem }),
    );
    if (paths) this.#update(id, { paths });
  }

  /** A newer drag (or a closed one) is not touched by an older one's answers. */
  #update(id: number, change: Partial<DragOut>) {
    if (this.drag?.id === id) this.drag = { ...this.drag, ...change };
  }

  /** The mouse button went down on the handle: the OS drag of the prepared files starts. */
  async startDrag(): Promise<void> {
    const paths = this.drag?.paths;
    if (!paths?.length) return;
    const id = this.drag?.id ?? 0;
    await attempt(() => ipc.startDrag(paths), (problem) => problem && this.#update(id, { problem }));
  }

  closeDrag() {
    if (this.drag && !this.drag.paths && !this.drag.problem) quietly(() => ipc.cancelDrag());
    this.drag = null;
  }
}

const looked = new WeakSet<Event>();

export const desktop = new DesktopState();

/** Fire and forget a backend call that may fail (and, in tests, not be a promise). */
function quietly(task: () => unknown): void {
  try {
    void Promise.resolve(task()).catch(() => {});
  } catch {
    // Nothing to tell: the title, a notice or a cancel are best effort.
  }
}

const APP_ACTIONS: ReadonlySet<string> = new Set<AppAction>([
  "download", "download-all", "drag-out", "downloads", "find", "toggle-sidebar", "thumbs-bigger", "thumbs-smaller",
  "go-baskets", "go-search", "go-collections", "go-feeds", "go-back", "refresh", "open-in-phraseanet", "shortcuts",
]);
const isAppAction = (id: string): id is AppAction => APP_ACTIONS.has(id);

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
const modalOpen = () => document.querySelector("dialog[open]:not(#shortcuts)") !== null;

/** The main view is showing (actions about records and baskets need it). */
const inMain = (b: BrowseState) => b.profile !== "" && document.querySelector(".main-view") !== null;

/** What each app action does: what its button or key does. */
function perform(action: AppAction, b: BrowseState): boolean {
  if (action === "shortcuts") {
    desktop.shortcutsOpen = !desktop.shortcutsOpen;
    return true;
  }
  if (!inMain(b)) return false;
  switch (action) {
    case "download":
      if (b.selection.size > 1) void b.downloadSelection();
      else if (b.item) void b.download(null);
      else return false;
      return true;
    case "download-all":
      if (b.basketId === null || b.section !== "baskets" || b.story) return false;
      void b.downloadBasket();
      return true;
    case "drag-out": {
      const records = b.selection.size > 0 ? b.selection.refs(b.items) : b.item ? [refOf(b.item)] : [];
      if (records.length === 0) return false;
      void desktop.prepareDrag(b.profile, records);
      return true;
    }
    case "downloads":
      b.downloadsOpen = !b.downloadsOpen;
      return true;
    case "find":
      b.setSection("search");
      b.viewer = false;
      void tick().then(() => document.getElementById("search-input")?.focus());
      return true;
    case "toggle-sidebar":
      layout.toggleSidebar();
      return true;
    case "thumbs-bigger":
    case "thumbs-smaller": {
      const by = action === "thumbs-bigger" ? THUMB.step : -THUMB.step;
      b.thumbSize = Math.min(THUMB.max, Math.max(THUMB.min, b.thumbSize + by));
      return true;
    }
    case "go-baskets":
    case "go-search":
    case "go-collections":
    case "go-feeds":
      b.setSection(action.slice(3) as "baskets" | "search" | "collections" | "feeds");
      return true;
    case "go-back":
      if (b.viewer) b.closeViewer();
      else if (b.story) b.closeStory();
      else return false;
      return true;
    case "refresh":
      if (b.section === "search") b.retrySearch();
      else if (b.section === "feeds") void b.feeds.load();
      else void b.loadBaskets();
      return true;
    case "open-in-phraseanet": {
      const item = b.item;
      const target = item
        ? ({ kind: "record", databox_id: item.databox_id, record_id: item.record_id } as const)
        : b.basketId !== null && b.section === "baskets"
          ? ({ kind: "basket", basket_id: b.basketId } as const)
          : null;
      if (!target) return false;
      const profile = b.profile;
      void attempt(() => ipc.openInPhraseanet(profile, target), (p) => (b.curation.problem = p));
      return true;
    }
  }
}

const refOf = (item: { databox_id: number; record_id: number }): RecordRef => ({
  databox_id: item.databox_id,
  record_id: item.record_id,
});

/** What the title bar names: the open story or basket, the search; null for the app's name alone. */
export function windowSubject(b: BrowseState): string | null {
  if (b.story) return b.story.title;
  if (b.section === "baskets") {
    if (b.basketId === null) return null;
    if (b.basket && b.basket.header.id === b.basketId) return b.basket.header.name;
    return b.pendingBasket?.name ?? null;
  }
  if (b.section === "search") {
    const ran = b.search.ranRequest;
    if (!ran) return null;
    return ran.query.trim() ? t.windowSearch(ran.query.trim()) : t.windowSearchAll;
  }
  return null;
}

let shownTitle: string | null | undefined;
/** Sets the window title, once per change. */
export function showTitle(subject: string | null): void {
  if (subject === shownTitle) return;
  shownTitle = subject;
  quietly(() => ipc.setTitle(subject));
}

// --- Notifications ---

const active = (d: DownloadItem) => d.state === "queued" || d.state === "running";
export type Notice = { title: string; body: string };

/** Watches the downloads list and tells which just finished after running long: a "Download all" as
 *  one notice once all its files ended, any other file on its own. Pure but for its memory. */
export class DownloadWatch {
  /** When each download (or job, `j<id>`) was first seen unfinished. */
  #since = new Map<string, number>();

  seen(items: DownloadItem[], now = Date.now()): Notice[] {
    const notices: Notice[] = [];
    const jobs = new Map<number, DownloadItem[]>();
    for (const d of items) {
      if (d.job) {
        jobs.set(d.job.id, [...(jobs.get(d.job.id) ?? []), d]);
        continue;
      }
      const key = `d${d.id}`;
      if (active(d)) {
        if (!this.#since.has(key)) this.#since.set(key, now);
      } else if (this.#since.has(key)) {
        const long = now - (this.#since.get(key) ?? now) >= LONG_DOWNLOAD_MS;
        this.#since.delete(key);
        const name = d.file_name.split(/[\\/]/).pop() || `${d.record.databox_id}_${d.record.record_id}`;
        if (long && d.state === "done") notices.push({ title: t.notifyFileDone(name), body: d.folder });
        if (long && d.state === "failed") notices.push({ title: t.notifyFailed(name), body: d.error?.message ?? "" });
      }
    }
    for (const [id, files] of jobs) {
      const key = `j${id}`;
      if (files.some(active)) {
        if (!this.#since.has(key)) this.#since.set(key, now);
        continue;
      }
      if (!this.#since.has(key)) continue;
      this.#since.delete(key);
      // A "Download all" is worth telling whatever it took: the person may have switched away at once.
      const counted = files.filter((d) => d.state !== "cancelled");
      if (counted.length === 0) continue;
      const failed = counted.filter((d) => d.state === "failed").length;
      const job = files[0]?.job;
      if (job) notices.push({ title: t.notifyJobDone(job.name), body: t.notifyFiles(counted.length - failed, failed) });
    }
    return notices;
  }
}

/** A notice for a finished keep (a cancelled one is the person's own doing). */
export function keepNotice(finished: KeepFinished, baskets: { id: number; name: string }[] | null): Notice | null {
  const name = baskets?.find((b) => b.id === finished.basketId)?.name ?? `#${finished.basketId}`;
  if (finished.outcome === "kept") return { title: t.notifyKept(name), body: t.notifyKeptBody };
  if (finished.outcome === "failed") return { title: t.notifyKeepFailed(name), body: finished.problem?.message ?? "" };
  return null;
}

const watch = new DownloadWatch();
/** Main calls it with each new downloads list; the backend shows the notice only when the window is
 *  not focused. */
export function downloadsChanged(items: DownloadItem[]): void {
  for (const n of watch.seen(items)) quietly(() => ipc.notify(n.title, n.body));
}

let keepHooked: (() => void) | null = null;
/** Notices for keeps that end (once for the whole app). */
export function hookKeeps(): void {
  keepHooked ??= onKeepFinished((finished) => {
    const n = keepNotice(finished, browse.baskets);
    if (n) quietly(() => ipc.notify(n.title, n.body));
  });
}
