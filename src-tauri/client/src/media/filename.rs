//! File names from server strings (titles, original names) made safe on every OS: no path parts, no
//! control characters, no reserved Windows names, a bounded length (name and whole path), and a suffix on
//! collisions, case- and normalization-insensitive within this process.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// Longest name in bytes (most file systems allow 255; keep room for ".part.json" and a " (9999)" suffix).
pub const MAX_NAME_BYTES: usize = 200;

/// What `reserve` and the download may append to a name: `" (9999)"` then `".part.json"`.
const SUFFIX_ROOM: usize = " (9999)".len() + ".part.json".len();

/// Longest whole path. Windows without long-path support refuses 260 UTF-16 units (MAX_PATH with the
/// NUL); elsewhere PATH_MAX is 4096 bytes. Measured in UTF-8 bytes, which never undercounts UTF-16 units.
#[cfg(windows)]
pub const MAX_PATH_BYTES: usize = 259;
#[cfg(not(windows))]
pub const MAX_PATH_BYTES: usize = 4095;

/// Device names Windows reserves with any extension (learn.microsoft.com, "Naming Files, Paths, and
/// Namespaces"): the superscript digits count too, and the console devices.
const RESERVED: [&str; 32] = [
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6",
    "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
    "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
];

/// Turns any string into one safe file name component (never empty, never a path).
pub fn sanitize_file_name(raw: &str) -> String {
    // Only the last path component counts: "../../etc/passwd" → "passwd", "C:\x\y.jpg" → "y.jpg".
    let last = raw.rsplit(['/', '\\']).find(|p| !p.trim().is_empty()).unwrap_or("");
    let last = last.rsplit_once(':').map(|(_, tail)| tail).filter(|t| !t.trim().is_empty()).unwrap_or(last);
    let mut name: String = last
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            // Invisible direction overrides can disguise an extension ("gpj.exe" shown as "exe.jpg").
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}' => '_',
            '\u{2028}' | '\u{2029}' => '_',
            c => c,
        })
        .collect();
    // Windows drops trailing dots and spaces; leading ones make hidden or odd files.
    name = name.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string();
    if name.chars().all(|c| c == '_' || c == '.') {
        name.clear();
    }
    if name.is_empty() {
        return "untitled".into();
    }
    let stem_upper = name.split('.').next().unwrap_or("").trim_end().to_ascii_uppercase();
    if RESERVED.contains(&stem_upper.as_str()) {
        name = format!("_{name}");
    }
    truncate_keeping_extension(&name, MAX_NAME_BYTES)
}

fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() && e.len() <= 16 && !e.contains(' ') => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    let budget = max - ext.len();
    let mut cut = String::new();
    for c in stem.chars() {
        if cut.len() + c.len_utf8() > budget {
            break;
        }
        cut.push(c);
    }
    let cut = cut.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    format!("{cut}{ext}")
}

/// A name for a downloaded record: its original name, else its title plus an extension from the MIME type.
pub fn download_name(original_name: Option<&str>, title: &str, mime: Option<&str>, fallback: &str) -> String {
    if let Some(orig) = original_name.filter(|n| !n.trim().is_empty()) {
        return sanitize_file_name(orig);
    }
    let base = if title.trim().is_empty() { fallback } else { title };
    let ext = mime.and_then(extension_for_mime).unwrap_or("");
    let base = sanitize_file_name(base);
    if ext.is_empty() || base.to_ascii_lowercase().ends_with(&format!(".{ext}")) {
        base
    } else {
        sanitize_file_name(&format!("{base}.{ext}"))
    }
}

pub fn extension_for_mime(mime: &str) -> Option<&'static str> {
    Some(match mime.split(';').next().unwrap_or("").trim() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/tiff" => "tif",
        "image/svg+xml" => "svg",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        "video/quicktime" => "mov",
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/wav" | "audio/x-wav" => "wav",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => return None,
    })
}

/// Whether anything is at `p`, a dangling symlink included (`exists()` follows links).
fn present(p: &Path) -> bool {
    p.symlink_metadata().is_ok()
}

/// `name`, then `stem (2).ext` … `stem (9999).ext`.
fn candidates(name: &str) -> impl Iterator<Item = String> + '_ {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    std::iter::once(name.to_string()).chain((2..10_000).map(move |i| format!("{stem} ({i}){ext}")))
}

/// `dir/name`, or `dir/stem (2).ext`… when taken (also counting a `.part` in progress for the same name).
pub fn unique_path(dir: &Path, name: &str) -> PathBuf {
    let taken = |p: &Path| present(p) || present(&part_path(p));
    candidates(name)
        .map(|n| dir.join(n))
        .find(|p| !taken(p))
        .unwrap_or_else(|| dir.join(format!("{name}.{}", std::process::id())))
}

/// `name` shortened (extension kept) so that `dir/name`, a collision suffix and `.part.json` fit in
/// `max_path` bytes. Fails when the folder alone leaves no room for a meaningful name.
pub fn fit_name(dir: &Path, name: &str, max_path: usize) -> Result<String> {
    let used = dir.as_os_str().len() + 1 + SUFFIX_ROOM;
    let budget = max_path.saturating_sub(used).min(MAX_NAME_BYTES);
    if budget < 12 {
        return Err(Error::Io(format!("the folder's path is too long to save files in ({} bytes)", used)));
    }
    Ok(truncate_keeping_extension(name, budget))
}

/// A name's identity on case-insensitive and normalizing file systems (Windows, macOS): NFC, lowercase.
pub(crate) fn fold(name: &str) -> String {
    name.nfc().flat_map(char::to_lowercase).collect()
}

/// Final names promised to downloads in progress in this process, per folder and folded: "A.jpg" and
/// "a.jpg" (or NFC and NFD "é.jpg") in one batch would otherwise share one file on Windows and macOS.
static PROMISED: LazyLock<Mutex<HashSet<(PathBuf, String)>>> = LazyLock::new(Mutex::default);

/// A final path promised to one download until dropped.
#[derive(Debug)]
pub(crate) struct Reservation {
    pub path: PathBuf,
    /// The name first asked for (the next free one is derived from it again).
    pub wanted: String,
    key: (PathBuf, String),
}

impl Drop for Reservation {
    fn drop(&mut self) {
        PROMISED.lock().expect("reserve lock").remove(&self.key);
    }
}

/// Reserves `dir/name` or the first free `stem (n).ext`. Free means: promised to no other download of
/// this process (folded), nothing of that name in `dir`, and no `.part` unless `resumable` proves it is
/// this job's (it is then resumed).
pub(crate) fn reserve(dir: &Path, name: &str, resumable: &dyn Fn(&Path) -> bool) -> Result<Reservation> {
    if name.contains(['/', '\\']) || name.is_empty() || name == "." || name == ".." {
        return Err(Error::Io(format!("refusing the unsafe file name {name:?}")));
    }
    let mut promised = PROMISED.lock().expect("reserve lock");
    for candidate in candidates(name) {
        let path = dir.join(&candidate);
        let key = (dir.to_path_buf(), fold(&candidate));
        if promised.contains(&key) || present(&path) {
            continue;
        }
        let part = part_path(&path);
        if present(&part) && !resumable(&part) {
            continue;
        }
        // Defence in depth: whatever the name, the file lands directly inside `dir`.
        if path.parent() != Some(dir) {
            return Err(Error::Io(format!("refusing the unsafe file name {name:?}")));
        }
        promised.insert(key.clone());
        return Ok(Reservation { path, wanted: name.to_string(), key });
    }
    Err(Error::Io(format!("no free name left for {name:?} in this folder")))
}

/// The in-progress file of a download: `<name>.part` beside the final name.
pub fn part_path(final_path: &Path) -> PathBuf {
    let mut s = final_path.as_os_str().to_owned();
    s.push(".part");
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        sanitize_file_name(x)
    }

    #[test]
    fn strips_paths() {
        assert_eq!(s(".."), "untitled");
        assert_eq!(s("../.."), "untitled");
        assert_eq!(s("../../etc/passwd"), "passwd");
        assert_eq!(s("/abs/file.jpg"), "file.jpg");
        assert_eq!(s("/"), "untitled");
        assert_eq!(s(r"C:\x"), "x");
        assert_eq!(s(r"C:\Windows\System32\evil.dll"), "evil.dll");
        assert_eq!(s("C:evil.txt"), "evil.txt");
        assert_eq!(s(r"\\server\share\f.png"), "f.png");
        assert_eq!(s(r"\\server\share\"), "share");
        assert_eq!(s("dir/"), "dir");
        assert_eq!(s("a/../b.txt"), "b.txt");
    }

    #[test]
    fn removes_control_and_forbidden_characters() {
        assert_eq!(s("a\u{0}b.txt"), "a_b.txt");
        assert_eq!(s("line\nbreak\r\t.jpg"), "line_break__.jpg");
        assert_eq!(s("what?*<>|\".jpg"), "what______.jpg");
        assert_eq!(s("\u{202e}gpj.exe"), "_gpj.exe");
        assert_eq!(s("\u{1b}[31mred"), "_[31mred");
        assert_eq!(s("\u{0}"), "untitled");
    }

    #[test]
    fn reserved_windows_names_get_a_prefix() {
        for n in ["CON", "con", "PRN", "AUX", "NUL", "COM1", "LPT1", "lpt9", "COM0", "lpt0", "COM¹", "lpt³"]
        {
            assert_eq!(s(n), format!("_{n}"));
        }
        assert_eq!(s("conin$.txt"), "_conin$.txt");
        assert_eq!(s("CONOUT$"), "_CONOUT$");
        assert_eq!(s("COM⁴.txt"), "COM⁴.txt", "only ¹²³ are reserved");
        assert_eq!(s("CON.txt"), "_CON.txt");
        assert_eq!(s("nul.tar.gz"), "_nul.tar.gz");
        assert_eq!(s("aux .jpg"), "_aux .jpg");
        assert_eq!(s("CONSOLE.txt"), "CONSOLE.txt");
        assert_eq!(s("COM10"), "COM10");
    }

    #[test]
    fn trims_dots_and_spaces_and_never_returns_empty() {
        assert_eq!(s("name. . "), "name");
        assert_eq!(s("  spaced  "), "spaced");
        assert_eq!(s(".hidden"), "hidden");
        assert_eq!(s(""), "untitled");
        assert_eq!(s("   "), "untitled");
        assert_eq!(s("..."), "untitled");
    }

    #[test]
    fn long_names_keep_their_extension() {
        let long = format!("{}.jpeg", "a".repeat(500));
        let out = s(&long);
        assert!(out.len() <= MAX_NAME_BYTES);
        assert!(out.ends_with(".jpeg"));
        let uni = format!("{}.png", "é".repeat(300));
        let out = s(&uni);
        assert!(out.len() <= MAX_NAME_BYTES && out.ends_with(".png"));
        assert!(out.is_char_boundary(out.len()));
    }

    #[test]
    fn unicode_is_kept() {
        assert_eq!(s("Hafen bei Morgengrauen — été 日本.jpg"), "Hafen bei Morgengrauen — été 日本.jpg");
        assert_eq!(s("😀.png"), "😀.png");
    }

    #[test]
    fn collisions_get_a_suffix() {
        let dir = tempfile::tempdir().unwrap();
        let p1 = unique_path(dir.path(), "a.jpg");
        assert_eq!(p1, dir.path().join("a.jpg"));
        std::fs::write(&p1, b"x").unwrap();
        let p2 = unique_path(dir.path(), "a.jpg");
        assert_eq!(p2, dir.path().join("a (2).jpg"));
        std::fs::write(part_path(&p2), b"x").unwrap();
        assert_eq!(unique_path(dir.path(), "a.jpg"), dir.path().join("a (3).jpg"));
        assert_eq!(unique_path(dir.path(), "noext"), dir.path().join("noext"));
    }

    #[test]
    fn names_fit_the_path_limit() {
        let dir = Path::new("/d").join("x".repeat(150));
        let name = format!("{}.jpeg", "é".repeat(100));
        let fitted = fit_name(&dir, &name, 259).unwrap();
        assert!(fitted.ends_with(".jpeg") && fitted.is_char_boundary(fitted.len()), "{fitted}");
        let worst = dir.join(format!("{fitted} (9999).part.json"));
        assert!(worst.as_os_str().len() <= 259, "{}", worst.as_os_str().len());
        assert_eq!(fit_name(Path::new("/d"), "short.jpg", 259).unwrap(), "short.jpg");
        assert_eq!(fit_name(&Path::new("/").join("y".repeat(240)), "a.jpg", 259).unwrap_err().code(), "io");
    }

    #[test]
    fn reservations_fold_case_and_unicode_and_skip_foreign_parts() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let no = |_: &Path| false;
        let a = reserve(d, "Été.JPG", &no).unwrap();
        // NFD spelling, other case: the same file on macOS and Windows, so another name.
        let b = reserve(d, "e\u{301}té.jpg", &no).unwrap();
        assert_eq!(a.path, d.join("Été.JPG"));
        assert_eq!(b.path, d.join("e\u{301}té (2).jpg"));
        drop(a);
        assert_eq!(reserve(d, "été.jpg", &no).unwrap().path, d.join("été.jpg"), "released on drop");
        // A .part is skipped unless it is proven to be this job's.
        std::fs::write(d.join("r.pdf.part"), b"x").unwrap();
        assert_eq!(reserve(d, "r.pdf", &no).unwrap().path, d.join("r (2).pdf"));
        assert_eq!(reserve(d, "r.pdf", &|_: &Path| true).unwrap().path, d.join("r.pdf"));
        // A dangling symlink is taken too.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.join("nowhere"), d.join("l.txt")).unwrap();
            assert_eq!(reserve(d, "l.txt", &no).unwrap().path, d.join("l (2).txt"));
        }
        assert_eq!(reserve(d, "../x", &no).unwrap_err().code(), "io");
    }

    #[test]
    fn download_names() {
        assert_eq!(download_name(Some("IMG_0831.JPG"), "Harbour", Some("image/jpeg"), "r1"), "IMG_0831.JPG");
        assert_eq!(download_name(None, "Harbour at dawn", Some("image/jpeg"), "r1"), "Harbour at dawn.jpg");
        assert_eq!(download_name(None, "", None, "1_1204"), "1_1204");
        assert_eq!(download_name(Some("../../x.sh"), "", None, "f"), "x.sh");
    }

    #[test]
    fn hostile_names_from_the_double() {
        // Titles become file names too (`download_name`), so the text payloads are names here as well.
        use phraseanet_sim::hostile;
        let long = format!("{}.jpg", "x".repeat(1000));
        for raw in hostile::NAMES.iter().chain(hostile::TEXT).copied().chain([long.as_str()]) {
            let out = s(raw);
            assert!(!out.is_empty() && out.len() <= MAX_NAME_BYTES, "{raw:?} -> {out:?}");
            assert!(!out.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']), "{raw:?} -> {out:?}");
            assert!(
                !out.chars().any(|c| c.is_control() || matches!(c, '\u{202e}' | '\u{2028}' | '\u{feff}')),
                "{out:?}"
            );
            assert!(out != "." && out != ".." && !out.ends_with('.') && !out.ends_with(' '), "{out:?}");
            let stem = out.split('.').next().unwrap().trim_end().to_ascii_uppercase();
            assert!(!RESERVED.contains(&stem.as_str()), "{raw:?} -> {out:?}");
            assert_eq!(s(&out), out, "sanitizing is idempotent");
            let dir = Path::new("/target");
            assert_eq!(dir.join(&out).parent(), Some(dir));
        }
    }
}
