//! The double as its own release process (`target/release/phraseanet-sim`), so the code measured and the
//! curl baseline talk to the same server, and neither shares a runtime with it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub struct SimProcess {
    child: Child,
    pub url: String,
    pub client_id: String,
    pub client_secret: String,
    pub token: String,
    /// The `--fixtures` line: ids of baskets and records.
    pub fixtures: Value,
}

impl SimProcess {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Starts the double with `args` (plus `--fixtures`) and reads its two first lines.
    pub fn start(bin: &Path, args: &[&str]) -> Result<SimProcess, String> {
        let mut child = Command::new(bin)
            .args(args)
            .arg("--fixtures")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                format!(
                    "cannot start {}: {e} (build it: cargo build --release -p phraseanet-sim)",
                    bin.display()
                )
            })?;
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let mut next = || -> Result<Value, String> {
            let line = lines.next().ok_or("the double closed its output")?.map_err(|e| e.to_string())?;
            serde_json::from_str(&line).map_err(|e| format!("the double's line is not JSON: {e}"))
        };
        let (first, fixtures) = match (next(), next()) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                let _ = child.kill();
                return Err(e);
            }
        };
        let text = |k: &str| first[k].as_str().unwrap_or_default().to_string();
        Ok(SimProcess {
            url: text("url"),
            client_id: text("client_id"),
            client_secret: text("client_secret"),
            token: text("developer_token"),
            fixtures,
            child,
        })
    }

    pub fn id(&self, key: &str) -> i64 {
        self.fixtures[key].as_i64().unwrap_or_else(|| panic!("fixture {key} missing"))
    }

    /// A `RecordRef` fixture (`{databox_id, record_id}`).
    pub fn record(&self, key: &str) -> (i64, i64) {
        let r = &self.fixtures[key];
        match (r["databox_id"].as_i64(), r["record_id"].as_i64()) {
            (Some(d), Some(id)) => (d, id),
            _ => panic!("fixture {key} missing"),
        }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
