//! The baseline client: `curl --parallel`, fed a config file (`-K`) so the token never appears on a
//! command line (`ps` shows command lines to every user).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Where one URL's body goes.
pub struct Transfer<'a> {
    pub url: &'a str,
    pub output: &'a Path,
}

/// A quoted config-file string (curl's config syntax: backslash escapes inside double quotes).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes `dir/curl.conf` (mode 0600) with the token header and one url/output pair per transfer.
fn config(dir: &Path, token: &str, transfers: &[Transfer]) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join("curl.conf");
    let mut f =
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path)?;
    writeln!(f, "header = {}", quoted(&format!("Authorization: OAuth {token}")))?;
    for t in transfers {
        writeln!(f, "url = {}", quoted(t.url))?;
        writeln!(f, "output = {}", quoted(&t.output.to_string_lossy()))?;
    }
    Ok(path)
}

/// Runs every transfer with `curl --parallel` (at most `parallel_max` at once, curl's default 50 when
/// None) and returns the wall time. Fails when curl reports an error (`--fail`: an HTTP error counts).
pub fn parallel(
    dir: &Path,
    token: &str,
    transfers: &[Transfer],
    parallel_max: Option<usize>,
) -> Result<Duration, String> {
    let conf = config(dir, token, transfers).map_err(|e| format!("curl config: {e}"))?;
    let mut cmd = Command::new("curl");
    cmd.args(["--silent", "--no-progress-meter", "--show-error", "--fail", "--parallel"]);
    if let Some(n) = parallel_max {
        cmd.args(["--parallel-max", &n.to_string()]);
    }
    cmd.arg("--config").arg(&conf).stdin(Stdio::null()).stdout(Stdio::null());
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("curl: {e}"))?;
    let took = started.elapsed();
    let _ = std::fs::remove_file(&conf);
    if status.success() {
        Ok(took)
    } else {
        Err(format!("curl failed ({status})"))
    }
}

/// One GET into memory (setup, not timed).
pub fn get(dir: &Path, token: &str, url: &str) -> Result<Vec<u8>, String> {
    let out = dir.join("get.body");
    parallel(dir, token, &[Transfer { url, output: &out }], Some(1))?;
    let body = std::fs::read(&out).map_err(|e| format!("read {}: {e}", out.display()))?;
    let _ = std::fs::remove_file(&out);
    Ok(body)
}
