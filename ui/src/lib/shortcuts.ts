// The one table of every key of the app (issue #18): the shortcut overlay lists it, the native menu is
// built from it (its items, their labels and accelerators), and the window's key handler dispatches
// the app's actions from it. Who carries a key out: "app" (desktop.svelte.ts runs it, from the key or
// the menu item), "shell" (Rust: quit, full screen), or a component that owns the key where it has
// the focus ("grid": VirtualGrid and Main, "viewer": viewer/keys.ts), listed here for the overlay.
import { t } from "./i18n";
import { viewerAction, type ViewerAction } from "./viewer/keys";

/** The native menus, in menu-bar order. */
export const MENUS = ["file", "edit", "view", "go", "help"] as const;
export type MenuId = (typeof MENUS)[number];

/** What the app itself runs (from a key or a menu item). */
export type AppAction =
  | "download" | "download-all" | "drag-out" | "downloads" | "find" | "toggle-sidebar" | "thumbs-bigger"
  | "thumbs-smaller" | "go-baskets" | "go-search" | "go-collections" | "go-feeds" | "go-back" | "refresh"
  | "open-in-phraseanet" | "shortcuts";
/** What the shell runs itself (the window, the app). */
export type ShellAction = "quit" | "full-screen";
/** Keys a focused grid owns (VirtualGrid, Main). */
export type GridAction = "grid-move" | "grid-extend" | "grid-page" | "grid-ends" | "grid-open" | "grid-menu" | "grid-all" | "grid-clear";

export type Shortcut =
  | { id: AppAction; by: "app"; group: MenuId; keys: string[]; separated?: boolean }
  | { id: ShellAction; by: "shell"; group: MenuId; keys: string[]; separated?: boolean }
  | { id: GridAction; by: "grid"; group: "grid"; keys: string[] }
  | { id: ViewerAction; by: "viewer"; group: "viewer"; keys: string[] };

export type Group = Shortcut["group"];

// Keys are written `Mod+Shift+D`: Mod is Ctrl (Cmd on macOS); the last part is the key as
// `KeyboardEvent.key` names it (letters in lowercase), or one of `Left`, `Right`, `Up`, `Down`.
export const SHORTCUTS: readonly Shortcut[] = [
  { id: "download", by: "app", group: "file", keys: ["Mod+d"] },
  { id: "download-all", by: "app", group: "file", keys: ["Mod+Shift+d"] },
  { id: "drag-out", by: "app", group: "file", keys: ["Mod+e"] },
  { id: "downloads", by: "app", group: "file", keys: ["Mod+j"], separated: true },
  { id: "quit", by: "shell", group: "file", keys: ["Mod+q"], separated: true },
  { id: "find", by: "app", group: "edit", keys: ["Mod+f"] },
  { id: "toggle-sidebar", by: "app", group: "view", keys: ["Mod+b"] },
  { id: "thumbs-bigger", by: "app", group: "view", keys: ["Mod+="], separated: true },
  { id: "thumbs-smaller", by: "app", group: "view", keys: ["Mod+-"] },
  { id: "full-screen", by: "shell", group: "view", keys: ["F11"], separated: true },
  { id: "go-baskets", by: "app", group: "go", keys: ["Mod+1"] },
  { id: "go-search", by: "app", group: "go", keys: ["Mod+2"] },
  { id: "go-collections", by: "app", group: "go", keys: ["Mod+3"] },
  { id: "go-feeds", by: "app", group: "go", keys: ["Mod+4"] },
  { id: "go-back", by: "app", group: "go", keys: ["Alt+Left"], separated: true },
  { id: "refresh", by: "app", group: "go", keys: ["Mod+r", "F5"] },
  { id: "open-in-phraseanet", by: "app", group: "go", keys: ["Mod+Shift+o"], separated: true },
  { id: "shortcuts", by: "app", group: "help", keys: ["Mod+/", "?"] },
  { id: "grid-move", by: "grid", group: "grid", keys: ["Left", "Right", "Up", "Down"] },
  { id: "grid-extend", by: "grid", group: "grid", keys: ["Shift+Left", "Shift+Right", "Shift+Up", "Shift+Down"] },
  { id: "grid-page", by: "grid", group: "grid", keys: ["PageUp", "PageDown"] },
  { id: "grid-ends", by: "grid", group: "grid", keys: ["Home", "End"] },
  { id: "grid-open", by: "grid", group: "grid", keys: ["Enter"] },
  { id: "grid-menu", by: "grid", group: "grid", keys: ["Shift+F10", "ContextMenu"] },
  { id: "grid-all", by: "grid", group: "grid", keys: ["Mod+a"] },
  { id: "grid-clear", by: "grid", group: "grid", keys: ["Escape"] },
  { id: "previous", by: "viewer", group: "viewer", keys: ["Left"] },
  { id: "next", by: "viewer", group: "viewer", keys: ["Right"] },
  { id: "space", by: "viewer", group: "viewer", keys: [" "] },
  { id: "zoom-in", by: "viewer", group: "viewer", keys: ["+", "="] },
  { id: "zoom-out", by: "viewer", group: "viewer", keys: ["-"] },
  { id: "fit", by: "viewer", group: "viewer", keys: ["0"] },
  { id: "actual", by: "viewer", group: "viewer", keys: ["1"] },
  { id: "info", by: "viewer", group: "viewer", keys: ["i"] },
  { id: "panel", by: "viewer", group: "viewer", keys: ["p"] },
  { id: "fullscreen", by: "viewer", group: "viewer", keys: ["f"] },
  { id: "compare", by: "viewer", group: "viewer", keys: ["c"] },
  { id: "frame-back", by: "viewer", group: "viewer", keys: [","] },
  { id: "frame-forward", by: "viewer", group: "viewer", keys: ["."] },
  { id: "close", by: "viewer", group: "viewer", keys: ["Escape"] },
];

/** The overlay's groups, in its order. */
export const GROUPS: readonly Group[] = [...MENUS, "grid", "viewer"];

/** What a shortcut does, in the window's language. */
export function labelOf(s: Shortcut): string {
  return t.shortcutLabels[s.id];
}

/** A group's heading: the menu's title, or where the keys work. */
export function groupTitle(group: Group): string {
  return t.shortcutGroups[group];
}

const isMac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform ?? "");

type Combo = { mod: boolean; shift: boolean; alt: boolean; key: string };

function parse(keys: string): Combo {
  // The key itself may be "+" or "-": split off the modifiers only.
  const parts = keys.length > 1 ? keys.split(/\+(?=.)/) : [keys];
  const key = parts.pop() ?? "";
  return { mod: parts.includes("Mod"), shift: parts.includes("Shift"), alt: parts.includes("Alt"), key };
}

const ARROWS: Record<string, string> = { Left: "ArrowLeft", Right: "ArrowRight", Up: "ArrowUp", Down: "ArrowDown" };
// Shifted characters: `?` is Shift+/ on most layouts, so Shift is not asked of it.
const SHIFTED = new Set(["?", "+"]);

/** The key press is this shortcut's key (`Mod` is Ctrl, or Cmd on macOS). */
export function matches(keys: string, e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">): boolean {
  const c = parse(keys);
  const mod = isMac() ? e.metaKey : e.ctrlKey;
  const other = isMac() ? e.ctrlKey : e.metaKey;
  if (mod !== c.mod || other || e.altKey !== c.alt) return false;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  // Mod+= also comes as Mod++ (the key with Shift on many layouts).
  if (c.key === "=" && key === "+") return true;
  if (!SHIFTED.has(c.key) && e.shiftKey !== c.shift) return false;
  return key === (ARROWS[c.key] ?? c.key);
}

/** The app or shell shortcut a key press is, if any (grid and viewer keys stay their components'). */
export function actionOf(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">): AppAction | null {
  for (const s of SHORTCUTS) {
    if (s.by === "app" && s.keys.some((k) => matches(k, e))) return s.id;
  }
  return null;
}

/** Tauri's accelerator for a key, or null where the window must not own it (a plain key: text fields
 *  keep it; the webview handles it). Mirrors `usable_accelerator` in src-tauri/shell/menu.rs. */
export function acceleratorOf(keys: string): string | null {
  const c = parse(keys);
  const fn = /^F([1-9]|1[0-9]|2[0-4])$/.test(c.key);
  if (!c.mod && !c.alt && !fn) return null;
  const key = ARROWS[c.key] ? c.key : c.key.length === 1 ? c.key.toUpperCase() : c.key;
  return [c.mod && "CmdOrCtrl", c.alt && "Alt", c.shift && "Shift", key].filter(Boolean).join("+");
}

/** How a key is shown: "Ctrl+Shift+D", "⌘⇧D" on macOS; names in the window's language. */
export function keyText(keys: string): string {
  const c = parse(keys);
  const names = t.keyNames as Record<string, string>;
  const arrows: Record<string, string> = { Left: "←", Right: "→", Up: "↑", Down: "↓" };
  const key = arrows[c.key] ?? names[c.key] ?? (c.key.length === 1 ? c.key.toUpperCase() : c.key);
  if (isMac()) return `${c.mod ? "⌘" : ""}${c.alt ? "⌥" : ""}${c.shift ? "⇧" : ""}${key}`;
  return [c.mod && names.Mod, c.alt && names.Alt, c.shift && names.Shift, key].filter(Boolean).join("+");
}

/** What the native menu is built from (src-tauri/shell/menu.rs, `MenuLabels`). */
export type MenuLabels = {
  menus: Record<MenuId, string>;
  edit: { cut: string; copy: string; paste: string; selectAll: string };
  items: { id: AppAction | ShellAction; menu: MenuId; label: string; accelerator: string | null; separated: boolean }[];
};

/** The menu bar, from the table: every app and shell shortcut is an item of its menu, with the first
 *  of its keys the window can own as accelerator. */
export function menuLabels(): MenuLabels {
  const items: MenuLabels["items"] = [];
  for (const s of SHORTCUTS) {
    if (s.by !== "app" && s.by !== "shell") continue;
    const accelerator = s.keys.map(acceleratorOf).find((a) => a !== null) ?? null;
    items.push({ id: s.id, menu: s.group, label: labelOf(s), accelerator, separated: s.separated ?? false });
  }
  const menus = Object.fromEntries(MENUS.map((m) => [m, t.shortcutGroups[m]])) as Record<MenuId, string>;
  return { menus, edit: { cut: t.menuCut, copy: t.menuCopy, paste: t.menuPaste, selectAll: t.menuSelectAll }, items };
}

/** The table's viewer keys are what viewer/keys.ts does (checked by the tests). */
export function viewerKeyAction(key: string): ViewerAction | null {
  return viewerAction({ key, ctrlKey: false, metaKey: false, altKey: false });
}
