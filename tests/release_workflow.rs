//! Releases: the workflow that builds every OS's packages (.github/workflows/release.yml) has the steps
//! each platform needs, the app has one id and one version everywhere they are written, and
//! `make release VERSION=x.y.z` (packaging/bump-version.sh) bumps that version everywhere, on a copy.

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn workflow() -> Yaml {
    let docs = YamlLoader::load_from_str(&read(".github/workflows/release.yml")).expect("release.yml parses");
    docs.into_iter().next().expect("one YAML document")
}

fn text(y: &Yaml) -> &str {
    y.as_str().unwrap_or("")
}

/// Whether a step's `if:` holds on `os` (the runner's `runner.os`). Only the conditions this workflow
/// uses are understood: anything else fails the test rather than being guessed.
fn runs_on(step: &Yaml, os: &str) -> bool {
    let Some(cond) = step["if"].as_str() else { return true };
    let cond = cond.trim().trim_start_matches("${{").trim_end_matches("}}").trim();
    if let Some(v) = cond.strip_prefix("runner.os == ") {
        return v.trim_matches('\'') == os;
    }
    if let Some(v) = cond.strip_prefix("runner.os != ") {
        return v.trim_matches('\'') != os;
    }
    panic!("a step condition this test does not understand: {cond}")
}

/// `${{ matrix.key }}` replaced by the matrix entry's value.
fn expand(s: &str, entry: &Yaml) -> String {
    let mut out = s.to_string();
    if let Some(map) = entry.as_hash() {
        for (k, v) in map {
            out = out.replace(&format!("${{{{ matrix.{} }}}}", text(k)), text(v));
        }
    }
    out
}

#[test]
fn the_release_workflow_builds_every_os_into_a_draft_release() {
    let wf = workflow();
    let tags: Vec<&str> = wf["on"]["push"]["tags"].as_vec().expect("on.push.tags").iter().map(text).collect();
    assert_eq!(tags, ["v*"], "a tag push starts it");

    let draft = wf["jobs"]["draft"]["steps"].as_vec().expect("a draft job");
    let creates = draft.iter().map(|s| text(&s["run"])).find(|r| r.contains("gh release create"));
    let creates = creates.expect("the draft job creates the release");
    assert!(creates.contains("--draft") && creates.contains("--verify-tag"), "{creates}");

    let build = &wf["jobs"]["build"];
    assert_eq!(text(&build["needs"]), "draft", "the builds upload into the draft made first");
    let matrix = build["strategy"]["matrix"]["include"].as_vec().expect("a matrix");
    let steps = build["steps"].as_vec().expect("build steps");
    // What each platform must build and upload.
    let wanted = [
        ("ubuntu-22.04", "Linux", &["deb", "rpm"][..]),
        ("windows-latest", "Windows", &["msi", "nsis"][..]),
        ("macos-latest", "macOS", &["dmg"][..]),
    ];
    assert_eq!(matrix.len(), wanted.len());
    for (runner, os, bundles) in wanted {
        let entry = matrix.iter().find(|e| text(&e["os"]) == runner).unwrap_or_else(|| panic!("no {runner}"));
        let run: Vec<&Yaml> = steps.iter().filter(|s| runs_on(s, os)).collect();
        let position = |what: &str, found: &dyn Fn(&Yaml) -> bool| -> usize {
            run.iter().position(|s| found(s)).unwrap_or_else(|| panic!("{runner}: no step that {what}"))
        };
        let uses = |name: &'static str| move |s: &Yaml| text(&s["uses"]).starts_with(name);
        let runs = |s: &Yaml| expand(text(&s["run"]), entry);

        assert_eq!(position("checks out", &uses("actions/checkout@")), 0, "{runner}: checkout first");
        position("installs Rust", &uses("dtolnay/rust-toolchain@"));
        position("installs node", &uses("actions/setup-node@"));
        let npm_ci = position("runs npm ci in ui/", &|s| {
            text(&s["working-directory"]) == "ui" && runs(s).contains("npm ci")
        });
        let apt = run
            .iter()
            .any(|s| runs(s).contains("apt-get install") && runs(s).contains("libwebkit2gtk-4.1-dev"));
        assert_eq!(apt, os == "Linux", "{runner}: WebKitGTK's build deps on Linux only");
        if os == "Linux" {
            let apt = run.iter().map(|s| runs(s)).find(|r| r.contains("apt-get install")).unwrap();
            for tool in ["rpm", "desktop-file-utils", "appstream"] {
                assert!(apt.split_whitespace().any(|w| w == tool), "{runner}: the packaging needs {tool}");
            }
        }
        let tauri = position("builds with Tauri", &|s| {
            let r = runs(s);
            r.contains("tauri build") || r.contains("scripts/package-linux.sh")
        });
        let command = runs(run[tauri]);
        for bundle in bundles {
            assert!(command.contains(bundle), "{runner}: the build makes no {bundle}: {command}");
        }
        let upload = position("uploads to the release", &|s| runs(s).contains("gh release upload"));
        let uploaded = runs(run[upload]);
        for ext in bundles.iter().map(|b| if *b == "nsis" { "exe" } else { b }) {
            assert!(uploaded.contains(&format!("*.{ext}")), "{runner}: uploads no .{ext}: {uploaded}");
        }
        assert!(
            text(&run[upload]["env"]["GH_TOKEN"]).contains("github.token"),
            "{runner}: the upload has a token"
        );
        assert!(npm_ci < tauri && tauri < upload, "{runner}: npm ci, then the build, then the upload");
    }
}

fn conf() -> serde_json::Value {
    serde_json::from_str(&read("tauri.conf.json")).expect("tauri.conf.json")
}

/// The first `<tag ...attr="value"` in `xml`.
fn xml_attr<'a>(xml: &'a str, tag: &str, attr: &str) -> &'a str {
    let at = xml.find(&format!("<{tag} ")).unwrap_or_else(|| panic!("no <{tag}>"));
    let rest = &xml[at..];
    let start = rest.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    &rest[start..start + rest[start..].find('"').unwrap()]
}

fn xml_text<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{tag}>")) + open.len();
    &xml[start..start + xml[start..].find('<').unwrap()]
}

#[test]
fn one_app_id_and_one_version_everywhere() {
    let conf = conf();
    let id = conf["identifier"].as_str().unwrap();
    assert!(id.starts_with("io.github."), "our own reverse-DNS id, not the vendor's: {id}");
    let metainfo_path = format!("packaging/{id}.metainfo.xml");
    let metainfo = read(&metainfo_path);
    assert_eq!(xml_text(&metainfo, "id"), id);
    assert_eq!(xml_text(&metainfo, "launchable type=\"desktop-id\""), format!("{id}.desktop"));
    assert!(read("packaging/desktop.hbs").lines().any(|l| l == format!("Icon={id}")));
    for kind in ["deb", "rpm"] {
        let files = &conf["bundle"]["linux"][kind]["files"];
        assert_eq!(files[format!("/usr/share/metainfo/{id}.metainfo.xml")], metainfo_path.as_str(), "{kind}");
        assert_eq!(conf["bundle"]["linux"][kind]["desktopTemplate"], "packaging/desktop.hbs", "{kind}");
    }

    // One version: Cargo's, which Tauri takes when tauri.conf.json has none.
    let version = env!("CARGO_PKG_VERSION");
    assert!(conf.get("version").is_none(), "tauri.conf.json must not hold a second version");
    assert_eq!(xml_attr(&metainfo, "release", "version"), version, "the newest AppStream release");
    let ui: serde_json::Value = serde_json::from_str(&read("ui/package.json")).unwrap();
    assert_eq!(ui["version"], version);
    let newest = read("CHANGELOG.md").lines().find(|l| l.starts_with("## ")).map(str::to_string);
    assert!(
        newest.unwrap_or_default().starts_with(&format!("## {version} - ")),
        "CHANGELOG.md's newest entry"
    );
}

/// The files `make release` edits, and what cargo needs to read the workspace, copied to `dir`.
fn copy_checkout(dir: &Path) {
    let status = Command::new("cp")
        .args(["-r", "Cargo.toml", "Cargo.lock", "CHANGELOG.md", "packaging", "src-tauri", "tests"])
        .arg(dir)
        .current_dir(root())
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::create_dir_all(dir.join("ui")).unwrap();
    for f in ["ui/package.json", "ui/package-lock.json"] {
        std::fs::copy(root().join(f), dir.join(f)).unwrap();
    }
}

#[test]
fn make_release_bumps_the_version_everywhere_on_a_copy() {
    let copy = tempfile::tempdir().unwrap();
    copy_checkout(copy.path());
    let old = env!("CARGO_PKG_VERSION");
    let new = "98.7.6";
    // The cargo running this test, for the script's `cargo update`.
    let cargo_dir = PathBuf::from(env!("CARGO")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", cargo_dir.display(), std::env::var("PATH").unwrap_or_default());
    let bump = |version: &str| {
        Command::new("bash")
            .args(["packaging/bump-version.sh", version])
            .current_dir(copy.path())
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let out = bump(new);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let today = Command::new("date").args(["-u", "+%F"]).output().unwrap();
    let today = String::from_utf8(today.stdout).unwrap().trim().to_string();

    let at = |f: &str| std::fs::read_to_string(copy.path().join(f)).unwrap();
    assert!(at("Cargo.toml").contains(&format!("[workspace.package]\nversion = \"{new}\"")));
    let lock = at("Cargo.lock");
    for member in
        ["phraseanet-desktop", "phraseanet-client", "phraseanet-app", "phraseanet-cli", "phraseanet-sim"]
    {
        assert!(lock.contains(&format!("name = \"{member}\"\nversion = \"{new}\"")), "Cargo.lock: {member}");
    }
    let others = |l: &str| l.lines().filter(|l| l.starts_with("version = ")).count();
    assert_eq!(others(&lock), others(&read("Cargo.lock")), "Cargo.lock: only versions changed");
    let ui: serde_json::Value = serde_json::from_str(&at("ui/package.json")).unwrap();
    assert_eq!(ui["version"], new);
    let ui_lock: serde_json::Value = serde_json::from_str(&at("ui/package-lock.json")).unwrap();
    assert_eq!((&ui_lock["version"], &ui_lock["packages"][""]["version"]), (&new.into(), &new.into()));
    let metainfo = at(&format!("packaging/{}.metainfo.xml", conf()["identifier"].as_str().unwrap()));
    assert_eq!(xml_attr(&metainfo, "release", "version"), new, "the newest release first");
    assert_eq!(xml_attr(&metainfo, "release", "date"), today);
    assert!(metainfo.contains(&format!("<release version=\"{old}\"")), "older releases stay");
    let changelog = at("CHANGELOG.md");
    assert_eq!(
        changelog.lines().find(|l| l.starts_with("## ")),
        Some(format!("## {new} - {today}").as_str())
    );
    assert!(changelog.contains(&format!("## {old} - ")));

    // Twice the same version, or not x.y.z: refused, nothing written.
    for bad in [new, "1.2"] {
        let out = bump(bad);
        assert!(!out.status.success(), "{bad} was taken");
    }
    assert_eq!(at("CHANGELOG.md"), changelog);
}
