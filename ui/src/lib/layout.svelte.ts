// The main view's panels: the sidebar's and the record panel's widths (dragged by their edge, kept
// for the next run) and whether the sidebar shows. Below NARROW px the record panel floats over the
// grid instead of squeezing it; below COMPACT px the sidebar starts hidden behind its toggle.

export const NARROW = 1000;
export const COMPACT = 820;
const KEY = "phraseanet.layout";

export const SIDEBAR = { min: 176, max: 420, initial: 256 };
export const PANEL = { min: 260, max: 560, initial: 352 };

const clamp = (value: number, range: { min: number; max: number }) => Math.round(Math.min(range.max, Math.max(range.min, value)));

export class LayoutState {
  sidebarWidth = $state(SIDEBAR.initial);
  panelWidth = $state(PANEL.initial);
  /** The person's choice; null: by the window's width (hidden below COMPACT). */
  sidebarChoice = $state<boolean | null>(null);
  windowWidth = $state(typeof window === "undefined" ? 1200 : window.innerWidth);

  constructor() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? "{}") as { sidebar?: unknown; panel?: unknown };
      if (typeof saved.sidebar === "number") this.sidebarWidth = clamp(saved.sidebar, SIDEBAR);
      if (typeof saved.panel === "number") this.panelWidth = clamp(saved.panel, PANEL);
    } catch {
      // Nothing kept, or unreadable: the defaults.
    }
  }

  get sidebarShown(): boolean {
    return this.sidebarChoice ?? this.windowWidth >= COMPACT;
  }

  /** The record panel floats over the grid (a narrow window). */
  get overlay(): boolean {
    return this.windowWidth < NARROW;
  }

  toggleSidebar() {
    this.sidebarChoice = !this.sidebarShown;
  }

  resizeSidebar(width: number) {
    this.sidebarWidth = clamp(width, SIDEBAR);
    this.#save();
  }

  resizePanel(width: number) {
    // Never wider than leaves 240 px of grid beside it.
    this.panelWidth = clamp(Math.min(width, this.windowWidth - 240), PANEL);
    this.#save();
  }

  #save() {
    try {
      localStorage.setItem(KEY, JSON.stringify({ sidebar: this.sidebarWidth, panel: this.panelWidth }));
    } catch {
      // Storage full or refused: the widths last until the app quits.
    }
  }
}

export const layout = new LayoutState();
