//! One markdown table: each figure, its baseline measured in the same run, and their ratio.

use std::time::Duration;

pub struct Row {
    pub figure: String,
    pub measured: String,
    pub baseline: String,
    /// measured / baseline (below 1: faster, or smaller, than the baseline).
    pub ratio: Option<f64>,
    pub note: Option<String>,
}

/// 10000 → "10,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s.get(s.len() / 2).copied().unwrap_or_default()
}

pub fn time(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

impl Row {
    pub fn timed(
        figure: impl Into<String>,
        measured: Duration,
        what: impl Into<String>,
        baseline: Duration,
    ) -> Row {
        Row {
            figure: figure.into(),
            measured: time(measured),
            baseline: format!("{}: {}", what.into(), time(baseline)),
            ratio: Some(measured.as_secs_f64() / baseline.as_secs_f64().max(1e-9)),
            note: None,
        }
    }

    pub fn megabytes(
        figure: impl Into<String>,
        measured: f64,
        what: impl Into<String>,
        baseline: f64,
    ) -> Row {
        Row {
            figure: figure.into(),
            measured: format!("{measured:.0} MB"),
            baseline: format!("{}: {baseline:.0} MB", what.into()),
            ratio: Some(measured / baseline.max(1e-9)),
            note: None,
        }
    }

    /// A figure that could not be measured in this run: the table says so and why.
    pub fn missing(figure: impl Into<String>, why: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            measured: "—".into(),
            baseline: "—".into(),
            ratio: None,
            note: Some(why.into()),
        }
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn markdown(title: &str, rows: &[Row]) -> String {
    let mut out =
        format!("{title}\n\n| Figure | Measured | Baseline (same run) | Ratio |\n|---|---:|---|---:|\n");
    for r in rows {
        let figure = match &r.note {
            Some(n) => format!("{} — {}", r.figure, n),
            None => r.figure.clone(),
        };
        let ratio = r.ratio.map(|x| format!("{x:.2}×")).unwrap_or_else(|| "—".into());
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&figure),
            cell(&r.measured),
            cell(&r.baseline),
            ratio
        ));
    }
    out
}
