//! File names from server strings (titles, original names) made safe on every OS: no path parts, no
//! control characters, no reserved Windows names, a bounded length, and a suffix on collisions.

use std::path::{Path, PathBuf};

/// Longest name in bytes (most file systems allow 255; keep room for ".part" and a " (99)" suffix).
pub const MAX_NAME_BYTES: usize = 200;

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
    "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
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

/// `dir/name`, or `dir/stem (2).ext`… when taken (also counting a `.part` in progress for the same name).
pub fn unique_path(dir: &Path, name: &str) -> PathBuf {
    let taken = |p: &Path| p.exists() || part_path(p).exists();
    let first = dir.join(name);
    if !taken(&first) {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.to_string(), String::new()),
    };
    for i in 2..10_000 {
        let candidate = dir.join(format!("{stem} ({i}){ext}"));
        if !taken(&candidate) {
            return candidate;
        }
    }
    dir.join(format!("{stem} ({}){ext}", std::process::id()))
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
        for n in ["CON", "con", "PRN", "AUX", "NUL", "COM1", "LPT1", "lpt9"] {
            assert_eq!(s(n), format!("_{n}"));
        }
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
