//! Proportional set size of the app and every process under it (WebKitWebProcess, WebKitNetworkProcess,
//! their sandbox helpers): what the app costs the machine, shared pages split between their users.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The app started by tauri-driver for `scenario` in this process (the harness marks its tree with
/// `PHRASEANET_E2E_RUN=<scenario>-<our pid>-<port>`).
pub fn app_pid(scenario: &str, binary: &Path) -> Option<u32> {
    let needle = format!("PHRASEANET_E2E_RUN={scenario}-{}-", std::process::id());
    let binary = std::fs::canonicalize(binary).ok()?;
    pids().into_iter().find(|pid| {
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
        let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        exe.as_deref() == Some(binary.as_path())
            && env.split(|b| *b == 0).any(|kv| kv.starts_with(needle.as_bytes()))
    })
}

fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|it| it.flatten().filter_map(|e| e.file_name().to_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces or brackets: the fields after its closing ')' are fixed.
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

fn name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_string()
}

fn pss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Pss:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// `root` and its descendants.
fn tree(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for pid in pids() {
        if let Some(p) = parent(pid) {
            children.entry(p).or_default().push(pid);
        }
    }
    let (mut out, mut todo) = (Vec::new(), vec![root]);
    while let Some(pid) = todo.pop() {
        out.push(pid);
        todo.extend(children.get(&pid).into_iter().flatten());
    }
    out
}

/// Total PSS in MB (10^6 bytes) and the share of each process name.
pub fn measure(root: u32) -> (f64, BTreeMap<String, f64>) {
    let mut by_name = BTreeMap::new();
    let mut total = 0;
    for pid in tree(root) {
        let kb = pss_kb(pid);
        total += kb;
        *by_name.entry(name(pid)).or_insert(0.0) += kb as f64 * 1024.0 / 1e6;
    }
    (total as f64 * 1024.0 / 1e6, by_name)
}
