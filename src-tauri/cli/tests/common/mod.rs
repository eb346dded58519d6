//! Runs the built binary, isolated from the caller's environment, against an in-process double.

use std::process::Output;

// `entries` lists one folder, not recursively: downloads must land directly in it.
pub use phraseanet_sim::testing::{desktop_authorize_url, entries, oob_code};
use phraseanet_sim::{Sim, SimOptions};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_phraseanet-cli");

pub async fn sim() -> Sim {
    Sim::start(SimOptions::default()).await.unwrap()
}

pub async fn run(args: Vec<String>) -> Output {
    run_with_stdin(args, None).await
}

pub async fn run_with_stdin(args: Vec<String>, stdin: Option<String>) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    tokio::task::spawn_blocking(move || {
        let mut child = std::process::Command::new(BIN)
            .args(&args)
            .env_remove("PHRASEANET_TOKEN")
            .env_remove("PHRASEANET_CLIENT_ID")
            .env_remove("PHRASEANET_CLIENT_SECRET")
            .env_remove("PHRASEANET_PASSWORD")
            .env("PHRASEANET_CONFIG_DIR", std::env::temp_dir().join("phraseanet-cli-tests-unused"))
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        if let Some(text) = stdin {
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

/// A command line as owned strings.
pub fn argv(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// `--server <sim> --token <developer token>` then `rest`.
pub fn args(sim: &Sim, rest: &[&str]) -> Vec<String> {
    let mut v = argv(&["--server", sim.url(), "--token", &sim.fixtures().developer_token]);
    v.extend(argv(rest));
    v
}

pub fn json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}
