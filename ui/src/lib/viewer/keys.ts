// The viewer's keyboard: which key does what (the component carries it out).

export type ViewerAction =
  | "close" | "next" | "previous" | "space" | "zoom-in" | "zoom-out" | "fit" | "actual" | "info" | "panel"
  | "fullscreen" | "compare" | "frame-back" | "frame-forward";

const keys: Record<string, ViewerAction> = {
  Escape: "close",
  ArrowRight: "next",
  ArrowLeft: "previous",
  " ": "space",
  "+": "zoom-in",
  "=": "zoom-in",
  "-": "zoom-out",
  _: "zoom-out",
  "0": "fit",
  "1": "actual",
  i: "info",
  p: "panel",
  f: "fullscreen",
  c: "compare",
  ",": "frame-back",
  ".": "frame-forward",
};

/** The action of a key press, or null (Ctrl, Cmd and Alt belong to the app and the system). */
export function viewerAction(e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey">): ViewerAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return keys[key] ?? null;
}

/** The key reached a control of its own (a button of the panel, a field): Space and Enter are its. */
export function ownsKey(target: EventTarget | null, key: string): boolean {
  if (key !== " " && key !== "Enter") return false;
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["BUTTON", "INPUT", "TEXTAREA", "SELECT", "A"].includes(target.tagName);
}
