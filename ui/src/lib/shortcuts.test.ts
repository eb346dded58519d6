import { describe, expect, it } from "vitest";
import { acceleratorOf, actionOf, GROUPS, keyText, matches, menuLabels, SHORTCUTS, viewerKeyAction } from "./shortcuts";
import { languages } from "./i18n";

const press = (key: string, mods: Partial<KeyboardEvent> = {}) =>
  ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }) as KeyboardEvent;

describe("the shortcut table", () => {
  it("names each action once, in a group the overlay shows, with a label in every language", () => {
    const ids = SHORTCUTS.map((s) => `${s.by}:${s.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SHORTCUTS) {
      expect(GROUPS).toContain(s.group);
      expect(s.keys.length).toBeGreaterThan(0);
      for (const strings of Object.values(languages)) expect(strings.shortcutLabels[s.id]?.trim()).toBeTruthy();
    }
  });

  it("gives two app or shell actions never the same key", () => {
    const keys = SHORTCUTS.filter((s) => s.by === "app" || s.by === "shell").flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("lists the viewer's keys as viewer/keys.ts carries them out", () => {
    for (const s of SHORTCUTS.filter((s) => s.by === "viewer")) {
      for (const key of s.keys) expect(viewerKeyAction(key === "Left" ? "ArrowLeft" : key === "Right" ? "ArrowRight" : key), key).toBe(s.id);
    }
  });

  it("matches key presses: Ctrl chords, Shift, the shifted ?, and Ctrl++ for Ctrl+=", () => {
    expect(actionOf(press("f", { ctrlKey: true }))).toBe("find");
    expect(actionOf(press("F", { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(actionOf(press("D", { ctrlKey: true, shiftKey: true }))).toBe("download-all");
    expect(actionOf(press("d", { ctrlKey: true }))).toBe("download");
    expect(actionOf(press("?", { shiftKey: true }))).toBe("shortcuts");
    expect(actionOf(press("/", { ctrlKey: true }))).toBe("shortcuts");
    expect(actionOf(press("+", { ctrlKey: true, shiftKey: true }))).toBe("thumbs-bigger");
    expect(actionOf(press("ArrowLeft", { altKey: true }))).toBe("go-back");
    expect(actionOf(press("ArrowLeft"))).toBeNull();
    expect(actionOf(press("f", { ctrlKey: true, altKey: true }))).toBeNull();
    expect(matches("F5", press("F5"))).toBe(true);
  });

  it("makes accelerators of chords and function keys only (plain keys stay the webview's)", () => {
    expect(acceleratorOf("Mod+Shift+d")).toBe("CmdOrCtrl+Shift+D");
    expect(acceleratorOf("Alt+Left")).toBe("Alt+Left");
    expect(acceleratorOf("F11")).toBe("F11");
    expect(acceleratorOf("Mod+=")).toBe("CmdOrCtrl+=");
    expect(acceleratorOf("?")).toBeNull();
    expect(acceleratorOf("Left")).toBeNull();
  });

  it("builds the menu from the table: every app and shell action an item of its menu", () => {
    const labels = menuLabels();
    expect(Object.keys(labels.menus)).toEqual(["file", "edit", "view", "go", "help"]);
    const items = SHORTCUTS.filter((s) => s.by === "app" || s.by === "shell");
    expect(labels.items.map((i) => i.id)).toEqual(items.map((s) => s.id));
    expect(labels.items.find((i) => i.id === "shortcuts")).toMatchObject({ menu: "help", accelerator: "CmdOrCtrl+/" });
    expect(labels.items.find((i) => i.id === "open-in-phraseanet")).toMatchObject({ menu: "go", label: "Open in Phraseanet" });
    expect(labels.edit.selectAll).toBe("Select all");
  });

  it("shows keys in words of the window's language", () => {
    expect(keyText("Mod+Shift+d")).toBe("Ctrl+Shift+D");
    expect(keyText(" ")).toBe("Space");
    expect(keyText("Alt+Left")).toBe("Alt+←");
  });
});
