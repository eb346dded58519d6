//! The hostile drill (`cargo test --test drill -- --include-ignored`, part of `make test`): every hostile
//! scenario end to end, printed as one table. Script payloads in the real window, hostile file names on
//! downloads, fault kinds against the client, and a secret grep over everything the app wrote.
//! Each row must end at 0 bad outcomes; the figures are printed for the README.

#[path = "../e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

mod faults;
mod window;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a display and a Secret Service: run `make test`"]
async fn hostile_drill() {
    let start_peak = faults::peak_mib();
    let fault_rows = faults::drill().await;
    let w = window::drill().await;

    let mut table = String::from("| drilled | cases | bad outcomes |\n|---|---|---|\n");
    table.push_str(&format!(
        "| script payloads × fields shown (real window) | {} | {} executions |\n",
        w.payload_fields, w.executions
    ));
    table.push_str(&format!(
        "| hostile file names downloaded | {} | {} files outside the folder |\n",
        w.downloads, w.files_outside
    ));
    table.push_str(&format!(
        "| secret grep: config, logs, caches, downloads, webview storage | {} files | {} hits |\n",
        w.files_scanned, w.secret_hits
    ));
    table.push_str("\n| fault | what the person is told | time / budget | peak memory | nothing lost |\n|---|---|---|---|---|\n");
    for r in &fault_rows {
        table.push_str(&format!(
            "| {} | {} | {:.1} s / {:.0} s | {} MiB | {} |\n",
            r.kind,
            r.result,
            r.elapsed.as_secs_f64(),
            r.budget.as_secs_f64(),
            r.peak_mib,
            if r.nothing_lost { "yes" } else { "NO" }
        ));
    }
    println!("\nHostile drill (peak memory at start {start_peak} MiB):\n\n{table}");

    assert!(w.payload_fields > 0, "the payloads were on screen");
    assert_eq!(w.executions, 0, "a payload ran");
    assert!(w.downloads > 0);
    assert_eq!(w.files_outside, 0);
    assert!(w.files_scanned > 0, "the app wrote its config at least");
    assert_eq!(w.secret_hits, 0, "a secret on disk");
    for r in &fault_rows {
        assert!(r.clean, "{}: {} in {:?} (budget {:?})", r.kind, r.result, r.elapsed, r.budget);
        assert!(r.nothing_lost, "{}: something was lost", r.kind);
        assert!(r.peak_mib < 1024, "{}: memory grew to {} MiB", r.kind, r.peak_mib);
    }
}
