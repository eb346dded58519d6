//! The native menu bar (File, Edit, View, Go, Help), built from what the UI sends: its labels are in the
//! UI's language and its items and accelerators come from the UI's one table of keys
//! (`ui/src/lib/shortcuts.ts`). A click or an accelerator goes back to the UI as the item's action id,
//! which runs what its button or key runs. `plan` decides (pure, tested); `build` only makes the menu.

use serde::Deserialize;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{Manager, Runtime};

/// The menus, in menu-bar order.
pub const MENUS: [&str; 5] = ["file", "edit", "view", "go", "help"];
/// Actions the shell carries out itself (the UI has no permission for them).
pub const QUIT: &str = "quit";
pub const FULL_SCREEN: &str = "full-screen";
/// Labels longer than this are cut (they come from the UI, but a menu is no place for a paragraph).
const LABEL_MAX: usize = 80;
/// Items a menu bar carries at most.
const ITEMS_MAX: usize = 100;

/// What the UI sends: each menu's title, the predefined Edit items' labels, and the items.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MenuLabels {
    /// `file`, `edit`, `view`, `go`, `help` → title.
    pub menus: std::collections::BTreeMap<String, String>,
    /// Labels of Edit's predefined items (cut, copy, paste, select all), in the UI's language.
    pub edit: EditLabels,
    pub items: Vec<MenuEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditLabels {
    pub cut: String,
    pub copy: String,
    pub paste: String,
    pub select_all: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MenuEntry {
    /// The action id the item sends back (`find`, `download-all`…).
    pub id: String,
    /// One of `MENUS`.
    pub menu: String,
    pub label: String,
    /// Tauri's accelerator syntax (`CmdOrCtrl+Shift+D`), if any.
    pub accelerator: Option<String>,
    /// A separator goes before this item.
    #[serde(default)]
    pub separated: bool,
}

/// One item of a planned menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    Item { id: String, label: String, accelerator: Option<String> },
    Separator,
    Cut(String),
    Copy(String),
    Paste(String),
    SelectAll(String),
}

/// One menu of the bar: its title and items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMenu {
    pub id: &'static str,
    pub title: String,
    pub items: Vec<Planned>,
}

fn label(text: &str) -> String {
    // GTK reads `_` as a mnemonic mark and muda `&`: labels are shown as written.
    let clean: String = text.chars().filter(|c| !c.is_control()).take(LABEL_MAX).collect();
    clean.replace('&', "&&")
}

/// An action id: lowercase words joined by `-` (it is sent back to the UI, never shown).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 40
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An accelerator the window can own without taking a key from text fields: a Ctrl/Cmd/Alt chord, or
/// a function key. A plain key (`?`, arrows, letters) stays the webview's, so typing is never eaten.
pub fn usable_accelerator(accelerator: &str) -> bool {
    let parts: Vec<&str> = accelerator.split('+').collect();
    let Some((key, modifiers)) = parts.split_last() else { return false };
    let key_ok = is_function_key(key)
        || (key.chars().count() == 1
            && key.chars().all(|c| c.is_ascii_alphanumeric() || "=-/,.;[]`'\\".contains(c)))
        || [
            "Plus", "Minus", "Equal", "Slash", "Left", "Right", "Up", "Down", "Home", "End", "PageUp",
            "PageDown", "Enter", "Delete",
        ]
        .contains(key);
    let known = [
        "CmdOrCtrl",
        "CommandOrControl",
        "Ctrl",
        "Control",
        "Cmd",
        "Command",
        "Super",
        "Alt",
        "Option",
        "Shift",
    ];
    let modifiers_ok = modifiers.iter().all(|m| known.contains(m));
    let chord = modifiers.iter().any(|m| *m != "Shift");
    key_ok && modifiers_ok && (chord || is_function_key(key))
}

fn is_function_key(key: &str) -> bool {
    key.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()).is_some_and(|n| (1..=24).contains(&n))
}

/// The menu bar for `labels`: the five menus in order (a menu without items and title is left out,
/// Edit always has its predefined items), unknown menus and invalid ids dropped, each id once, an
/// accelerator kept only where `usable_accelerator` allows it and once in the whole bar.
pub fn plan(labels: &MenuLabels) -> Vec<PlannedMenu> {
    let mut ids = std::collections::HashSet::new();
    let mut accelerators = std::collections::HashSet::new();
    let items: Vec<&MenuEntry> = labels
        .items
        .iter()
        .take(ITEMS_MAX)
        .filter(|e| MENUS.contains(&e.menu.as_str()) && valid_id(&e.id) && !e.label.trim().is_empty())
        .filter(|e| ids.insert(e.id.clone()))
        .collect();
    MENUS
        .iter()
        .filter_map(|&menu| {
            let title = labels.menus.get(menu).map(|t| label(t)).filter(|t| !t.trim().is_empty())?;
            let mut planned = Vec::new();
            if menu == "edit" {
                let e = &labels.edit;
                planned.extend([
                    Planned::Cut(label(&e.cut)),
                    Planned::Copy(label(&e.copy)),
                    Planned::Paste(label(&e.paste)),
                    Planned::SelectAll(label(&e.select_all)),
                ]);
            }
            for e in items.iter().filter(|e| e.menu == menu) {
                if (e.separated
                    || (menu == "edit" && !planned.iter().any(|p| matches!(p, Planned::Item { .. }))))
                    && !planned.is_empty()
                    && planned.last() != Some(&Planned::Separator)
                {
                    planned.push(Planned::Separator);
                }
                let accelerator = e
                    .accelerator
                    .clone()
                    .filter(|a| usable_accelerator(a))
                    .filter(|a| accelerators.insert(a.to_ascii_lowercase()));
                planned.push(Planned::Item { id: e.id.clone(), label: label(&e.label), accelerator });
            }
            (!planned.is_empty()).then_some(PlannedMenu { id: menu, title, items: planned })
        })
        .collect()
}

/// Makes the planned menu bar (on the main thread: Tauri's menu types dispatch there themselves).
pub fn build<R: Runtime, M: Manager<R>>(manager: &M, planned: &[PlannedMenu]) -> tauri::Result<Menu<R>> {
    let bar = Menu::new(manager)?;
    for menu in planned {
        let submenu = Submenu::with_id(manager, menu.id, &menu.title, true)?;
        for item in &menu.items {
            match item {
                Planned::Item { id, label, accelerator } => submenu.append(&MenuItem::with_id(
                    manager,
                    id.as_str(),
                    label,
                    true,
                    accelerator.as_deref(),
                )?)?,
                Planned::Separator => submenu.append(&PredefinedMenuItem::separator(manager)?)?,
                Planned::Cut(l) => submenu.append(&PredefinedMenuItem::cut(manager, Some(l))?)?,
                Planned::Copy(l) => submenu.append(&PredefinedMenuItem::copy(manager, Some(l))?)?,
                Planned::Paste(l) => submenu.append(&PredefinedMenuItem::paste(manager, Some(l))?)?,
                Planned::SelectAll(l) => {
                    submenu.append(&PredefinedMenuItem::select_all(manager, Some(l))?)?
                }
            }
        }
        bar.append(&submenu)?;
    }
    Ok(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, menu: &str, accelerator: Option<&str>) -> MenuEntry {
        MenuEntry {
            id: id.into(),
            menu: menu.into(),
            label: format!("Label of {id}"),
            accelerator: accelerator.map(str::to_string),
            separated: false,
        }
    }

    fn labels(items: Vec<MenuEntry>) -> MenuLabels {
        let menus = MENUS.iter().map(|m| (m.to_string(), format!("Menu {m}"))).collect();
        let edit = EditLabels {
            cut: "Couper".into(),
            copy: "Copier".into(),
            paste: "Coller".into(),
            select_all: "Tout".into(),
        };
        MenuLabels { menus, edit, items }
    }

    fn ids(menu: &PlannedMenu) -> Vec<String> {
        menu.items
            .iter()
            .map(|i| match i {
                Planned::Item { id, .. } => id.clone(),
                Planned::Separator => "—".into(),
                Planned::Cut(_) => "cut".into(),
                Planned::Copy(_) => "copy".into(),
                Planned::Paste(_) => "paste".into(),
                Planned::SelectAll(_) => "select-all".into(),
            })
            .collect()
    }

    #[test]
    fn the_bar_has_the_five_menus_in_order_with_the_uis_labels() {
        let planned = plan(&labels(vec![
            entry("help-shortcuts", "help", Some("CmdOrCtrl+/")),
            entry("download-all", "file", Some("CmdOrCtrl+Shift+D")),
            entry("find", "edit", Some("CmdOrCtrl+F")),
            entry("toggle-sidebar", "view", Some("CmdOrCtrl+B")),
            entry("go-search", "go", Some("CmdOrCtrl+2")),
        ]));
        assert_eq!(planned.iter().map(|m| m.id).collect::<Vec<_>>(), MENUS);
        assert_eq!(planned[0].title, "Menu file");
        assert_eq!(ids(&planned[1]), ["cut", "copy", "paste", "select-all", "—", "find"]);
        assert_eq!(
            planned[1].items[0],
            Planned::Cut("Couper".into()),
            "predefined items in the UI's language"
        );
        assert_eq!(
            planned[0].items,
            [Planned::Item {
                id: "download-all".into(),
                label: "Label of download-all".into(),
                accelerator: Some("CmdOrCtrl+Shift+D".into())
            }]
        );
    }

    #[test]
    fn edit_keeps_its_predefined_items_and_empty_menus_go() {
        let mut l = labels(vec![entry("quit", "file", Some("CmdOrCtrl+Q"))]);
        l.menus.remove("help");
        let planned = plan(&l);
        assert_eq!(planned.iter().map(|m| m.id).collect::<Vec<_>>(), ["file", "edit"]);
        assert_eq!(ids(&planned[1]), ["cut", "copy", "paste", "select-all"]);
    }

    #[test]
    fn bad_items_are_dropped_and_ids_and_accelerators_kept_once() {
        let mut separated = entry("download", "file", None);
        separated.separated = true;
        let planned = plan(&labels(vec![
            entry("find", "edit", Some("CmdOrCtrl+F")),
            entry("find", "go", None),
            entry("Bad Id", "file", None),
            entry("elsewhere", "window", None),
            entry("again", "go", Some("cmdorctrl+f")),
            separated,
        ]));
        let go = planned.iter().find(|m| m.id == "go").unwrap();
        assert_eq!(
            go.items,
            [Planned::Item { id: "again".into(), label: "Label of again".into(), accelerator: None }]
        );
        let file = planned.iter().find(|m| m.id == "file").unwrap();
        assert_eq!(ids(file), ["download"], "no separator first");
    }

    #[test]
    fn accelerators_never_take_a_plain_key_from_text_fields() {
        for ok in
            ["CmdOrCtrl+F", "CmdOrCtrl+Shift+D", "Alt+Left", "F11", "Shift+F10", "CmdOrCtrl+=", "CmdOrCtrl+/"]
        {
            assert!(usable_accelerator(ok), "{ok}");
        }
        for refused in [
            "?",
            "Shift+/",
            "Left",
            "A",
            "Shift+A",
            "Hyper+F",
            "CmdOrCtrl+",
            "",
            "CmdOrCtrl+Ctrl+Space",
            "F25",
        ] {
            assert!(!usable_accelerator(refused), "{refused}");
        }
    }

    #[test]
    fn labels_are_shown_as_written_and_bounded() {
        let mut e = entry("rock", "file", None);
        e.label = format!("Rock & roll\n{}", "x".repeat(200));
        let planned = plan(&labels(vec![e]));
        let Planned::Item { label, .. } = &planned[0].items[0] else { panic!() };
        assert!(
            label.starts_with("Rock && roll")
                && !label.contains('\n')
                && label.chars().count() <= LABEL_MAX + 1
        );
    }
}
