// The right-click menu's contents and keyboard arithmetic. ContextMenu.svelte draws a list of
// `MenuEntry`; the builders below say which actions apply to a grid tile and to a sidebar basket.
import { ipc } from "./ipc";
import { t } from "./i18n";
import { attempt } from "./errors";
import { refOf } from "./selection.svelte";
import { same } from "./panel.svelte";
import type { BrowseState } from "./browse.svelte";
import type { RecordDetails } from "./bindings/RecordDetails";
import type { WebTarget } from "./bindings/WebTarget";

export type MenuEntry = {
  /** The entry's `data-action` (what the end-to-end tests click). */
  action: string;
  label: string;
  disabled?: boolean;
  /** Why it is disabled, or what it does in full. */
  title?: string;
  run?: () => unknown;
  /** A submenu (the baskets of "Add to basket"). */
  children?: MenuEntry[];
  /** A basket the entry is about (`data-basket-target` on the submenu's baskets). */
  basketId?: number;
};

/** The index of the next enabled entry `delta` steps from `from`, wrapping; -1 when none is. */
export function step(entries: MenuEntry[], from: number, delta: 1 | -1): number {
  const n = entries.length;
  for (let k = 1; k <= n; k++) {
    const i = (((from + delta * k) % n) + n) % n;
    if (!entries[i]?.disabled) return i;
  }
  return -1;
}

/** The first (or, with `last`, the last) enabled entry; -1 when none is. */
export function edge(entries: MenuEntry[], last = false): number {
  return last ? step(entries, 0, -1) : step(entries, -1, 1);
}

/** Where a `w`×`h` menu opened at (`x`, `y`) goes so that it stays inside a `vw`×`vh` window. It
 * starts at the point and runs toward the line's end: rightwards, or leftwards right to left (its
 * right edge at `x`), as the submenus do. */
export function placeMenu(x: number, y: number, w: number, h: number, vw: number, vh: number, margin = 4, rightToLeft = false) {
  const left = rightToLeft
    ? x - w - margin < 0
      ? Math.min(margin, vw - w - margin)
      : x - w
    : x + w + margin > vw
      ? Math.max(margin, vw - w - margin)
      : x;
  const top = y + h + margin > vh ? Math.max(margin, vh - h - margin) : y;
  return { left, top };
}

/** Where a menu opened by the keyboard (Shift+F10, the Menu key) on an element starts, as a
 * right-click would: `inset` px into it from its inline-start edge (the right one right to left). */
export function keyboardPoint(box: { left: number; right: number }, y: number, rightToLeft: boolean, inset = 24) {
  return { x: rightToLeft ? box.right - inset : box.left + inset, y };
}

// --- "Open in Phraseanet" ---

/** Opens `target` in the browser; the URL it opened, or null (the failure shows in the view). */
async function openInPhraseanet(b: BrowseState, target: WebTarget): Promise<string | null> {
  const profile = b.profile;
  return (await attempt(() => ipc.openInPhraseanet(profile, target), (p) => (b.curation.problem = p))) ?? null;
}

// --- A grid tile ---

/** The link "Copy link" copies: the preview's permalink, else the original's, else any. */
export function permalinkOf(details: RecordDetails | null | undefined): string | null {
  if (!details) return null;
  const linked = details.subdefs.filter((s) => s.permalink?.url);
  const pick = linked.find((s) => s.name === "preview") ?? linked.find((s) => s.name === "document") ?? linked[0];
  return pick?.permalink?.url ?? null;
}

/** The menu of grid cell `index`. The caller selected it first (a right-click on a tile outside the
 * selection selects that tile, as file managers do), so the panel's details are that record's. */
export function tileMenu(b: BrowseState, index: number): MenuEntry[] {
  const item = b.items[index];
  if (!item) return [];
  const ref = refOf(item);
  const many = b.selection.has(index) && b.selection.size > 1;
  const offline = b.offline ? t.needsServer : undefined;
  const shown = b.details && same(b.details.record, ref) ? b.details : null;
  const entries: MenuEntry[] = [
    { action: "open", label: t.open, run: () => b.open(index) },
    {
      action: "download",
      label: many ? t.downloadSelected(b.selection.size) : t.download,
      disabled: b.offline,
      title: offline,
      run: () => (many ? b.downloadSelection() : b.download(null)),
    },
    {
      action: "copy-link",
      label: t.copyPermalink,
      // Known to have none once its details are in; until then, asked when chosen.
      disabled: shown !== null && permalinkOf(shown) === null,
      title: shown !== null && permalinkOf(shown) === null ? t.noPermalink : undefined,
      run: async () => {
        const details =
          shown ?? (await attempt(() => ipc.record(b.profile, ref, null), (p) => (b.curation.problem = p)));
        const url = permalinkOf(details);
        if (url) await b.copy(url);
      },
    },
  ];
  const curation = b.curation;
  if (curation.supported === true) {
    const records = curation.dragged(index);
    entries.push({
      action: "add-to-basket",
      label: t.selectionAdd,
      disabled: b.offline,
      title: offline,
      children: [
        ...curation.targets.map((x) => ({
          action: "add-to-basket-target",
          label: x.name,
          basketId: x.id,
          run: () => curation.add(x.id, records),
        })),
        { action: "new-basket", label: t.addNewBasket, run: () => curation.openNew(records) },
      ],
    });
  }
  entries.push({
    action: "open-in-phraseanet",
    label: t.openInPhraseanet,
    disabled: b.offline,
    title: offline,
    run: () => openInPhraseanet(b, { kind: "record", databox_id: item.databox_id, record_id: item.record_id }),
  });
  return entries;
}

// --- A basket of the sidebar ---

export function basketMenu(b: BrowseState, id: number, onpick: (id: number) => void): MenuEntry[] {
  const offline = b.offline ? t.needsServer : undefined;
  const entries: MenuEntry[] = [
    { action: "open", label: t.open, run: () => onpick(id) },
    {
      action: "download",
      label: t.downloadBasket,
      disabled: b.offline,
      title: offline,
      // "Download all" works on the open basket: this one opens, its download starts at once.
      run: () => {
        if (b.basketId !== id) onpick(id);
        if (b.basketId === id) return b.downloadBasket();
      },
    },
  ];
  entries.push({
    action: "open-in-phraseanet",
    label: t.openInPhraseanet,
    disabled: b.offline,
    title: offline,
    run: () => openInPhraseanet(b, { kind: "basket", basket_id: id }),
  });
  return entries;
}
