//! The built binary against an in-process double.

mod common;

use phraseanet_sim::{Dataset, Sim, SimOptions};
use serde_json::Value;

use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn browse_commands_print_typed_json() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let me = json(&run(args(&sim, &["--json", "whoami"])).await);
    assert_eq!(me["user"]["id"], f.user_id);
    let baskets = json(&run(args(&sim, &["--json", "baskets"])).await);
    assert_eq!(baskets.as_array().unwrap().len(), f.basket_ids.len());
    let basket = json(&run(args(&sim, &["--json", "basket", &f.plain_basket_id.to_string()])).await);
    assert_eq!(basket["basket"]["basket_id"], f.plain_basket_id);
    let (d, r) = (f.image_record.databox_id.to_string(), f.image_record.record_id.to_string());
    let rec = json(&run(args(&sim, &["--json", "record", &d, &r])).await);
    assert_eq!(rec["record"]["record_id"], f.image_record.record_id);
    assert!(rec["embed"].as_array().unwrap().len() > 1);
    let (sd, sr) = (f.story.databox_id.to_string(), f.story.record_id.to_string());
    let story = json(&run(args(&sim, &["--json", "story", &sd, &sr])).await);
    assert_eq!(story["story_id"], f.story.record_id);
    let child = &story["records"][0];
    let (cd, cr) = (child["databox_id"].to_string(), child["record_id"].to_string());
    let related = json(&run(args(&sim, &["--json", "related", &cd, &cr])).await);
    let holders: Vec<&Value> =
        related["stories"].as_array().unwrap().iter().map(|s| &s["story_id"]).collect();
    assert!(holders.contains(&&Value::from(f.story.record_id)), "{related}");
    let out = run(args(&sim, &["related", &cd, &cr])).await;
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("story {sd}/{sr}")));
    let feeds = json(&run(args(&sim, &["--json", "feeds"])).await);
    assert!(!feeds.as_array().unwrap().is_empty());
    let feed = json(&run(args(&sim, &["--json", "feed", &f.feed_id.to_string()])).await);
    assert_eq!(feed["feed"]["id"], f.feed_id);
    // Text mode too.
    let out = run(args(&sim, &["baskets"])).await;
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() >= f.basket_ids.len());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn search_command() {
    let sim = sim().await;
    let res = json(&run(args(&sim, &["--json", "search", "", "--per-page", "5"])).await);
    assert_eq!(res["results"]["records"].as_array().unwrap().len(), 5);
    let all = res["total_results"].as_i64().unwrap();

    // Filters, and the facets as text.
    let images = json(&run(args(&sim, &["--json", "search", "", "--type", "image"])).await);
    assert!(images["results"]["records"].as_array().unwrap().iter().all(|r| r["phrasea_type"] == "image"));
    assert!(images["total_results"].as_i64().unwrap() < all);
    let future = json(&run(args(&sim, &["--json", "search", "", "--from", "2100-01-01"])).await);
    assert_eq!(future["total_results"], 0);
    let text = run(args(&sim, &["search", "", "--facets"])).await;
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains("type:image") || text.contains("Type:"), "{text}");

    // Collections, and a search restricted to one.
    let cols = json(&run(args(&sim, &["--json", "collections"])).await);
    let base = cols[0]["collections"][0]["base_id"].as_i64().expect("a collection").to_string();
    let one = json(&run(args(&sim, &["--json", "search", "", "--base", &base])).await);
    assert!(one["total_results"].as_i64().unwrap() <= all);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_with_code_prints_a_working_token() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let code = oob_code(&sim, &desktop_authorize_url(&sim)).await;
    let out = run(argv(&[
        "--server",
        sim.url(),
        "--client-id",
        &f.desktop_app.client_id,
        "--client-secret",
        &f.desktop_app.client_secret,
        "login",
        "--code",
        &code,
        "--print-token",
    ]))
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.len(), 32);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&f.display_name));
    let me = json(&run(argv(&["--server", sim.url(), "--token", &token, "--json", "whoami"])).await);
    assert_eq!(me["user"]["id"], f.user_id);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_saves_a_profile_without_secrets() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let cfg = tempfile::tempdir().unwrap();
    let cfg_s = cfg.path().to_string_lossy().to_string();
    let code = oob_code(&sim, &desktop_authorize_url(&sim)).await;
    let out = run(argv(&[
        "--config-dir",
        &cfg_s,
        "--session-only",
        "--profile",
        "sim",
        "--server",
        sim.url(),
        "--client-id",
        &f.desktop_app.client_id,
        "--client-secret",
        &f.desktop_app.client_secret,
        "--json",
        "login",
        "--code",
        &format!("code={code}"),
    ]))
    .await;
    let summary = json(&out);
    assert_eq!(summary["name"], "sim");
    assert_eq!(summary["user_name"], f.display_name.as_str());
    let file = std::fs::read_to_string(cfg.path().join("profiles.json")).unwrap();
    assert!(file.contains(&f.desktop_app.client_id));
    assert!(!file.contains(&f.desktop_app.client_secret));
    let list =
        json(&run(argv(&["--config-dir", &cfg_s, "--session-only", "--json", "profile", "list"])).await);
    assert_eq!(list[0]["name"], "sim");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_messages_and_exit_codes() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let bad = run(argv(&["--server", sim.url(), "--token", "nope", "whoami"])).await;
    assert_eq!(bad.status.code(), Some(3));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("Signed out: sign in again"), "{err}");
    assert!(!err.contains("panicked"));

    let bad = run(argv(&["--server", sim.url(), "--token", "nope", "--json", "baskets"])).await;
    // One JSON object a line: the argv warning, then the error.
    let lines: Vec<Value> =
        String::from_utf8_lossy(&bad.stderr).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines[0]["warning"].as_str().unwrap().contains("--token"));
    assert_eq!(lines.last().unwrap()["code"], "signed-out");

    let garbage = run(argv(&[
        "--server",
        sim.url(),
        "--client-id",
        &f.desktop_app.client_id,
        "login",
        "--code",
        "hello world",
        "--print-token",
    ]))
    .await;
    assert_eq!(garbage.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("not an authorization code"));

    let insecure = run(argv(&["--server", "http://dam.example.org", "--token", "x", "whoami"])).await;
    assert_eq!(insecure.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&insecure.stderr).contains("in clear"));

    let missing = run(args(&sim, &["basket", "987654"])).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).lines().any(|l| l.starts_with("error: Not found")));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().to_string_lossy().to_string();
    let (d, r) = (f.image_record.databox_id.to_string(), f.image_record.record_id.to_string());
    let out = run(args(&sim, &["download", "record", &d, &r, "--subdef", "preview", "--to", &to])).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(entries(dir.path()).len(), 1);
    let out =
        run(args(&sim, &["--json", "download", "basket", &f.media_basket_id.to_string(), "--to", &to])).await;
    let rows = json(&out);
    assert!(!rows.as_array().unwrap().is_empty());
    assert!(entries(dir.path()).iter().all(|p| !p.to_string_lossy().ends_with(".part")));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_data_never_panics() {
    let sim = Sim::start(SimOptions { dataset: Dataset::Hostile, ..Default::default() }).await.unwrap();
    let f = sim.fixtures().clone();
    for id in &f.basket_ids {
        let out = run(args(&sim, &["basket", &id.to_string()])).await;
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains('\u{1b}'), "no escape sequence reaches the terminal");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().to_string_lossy().to_string();
    let (d, r) = (f.hostile_record.databox_id.to_string(), f.hostile_record.record_id.to_string());
    let out = run(args(&sim, &["download", "record", &d, &r, "--to", &to])).await;
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    for p in entries(dir.path()) {
        assert_eq!(p.parent().unwrap(), dir.path());
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_reads_the_code_or_a_token_from_stdin() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let page = phraseanet_sim::browser::Browser::new()
        .sign_in(&desktop_authorize_url(&sim), &f.login, &f.password)
        .await
        .unwrap();
    let code = page.authorize_token().unwrap();
    let base = argv(&["--server", sim.url(), "--client-id", &f.desktop_app.client_id]);
    let mut a = base.clone();
    a.extend(argv(&["login", "--no-browser", "--print-token"]));
    let out = run_with_stdin(a, Some(format!("{code}\n"))).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/api/oauthv2/authorize?response_type=code"),
        "the sign-in address is printed: {err}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim().len(), 32);

    // A developer token on stdin, saved into a profile (session-only secrets here: no keyring in tests).
    let cfg = tempfile::tempdir().unwrap();
    let cfg_s = cfg.path().to_string_lossy().to_string();
    let mut a = argv(&["--config-dir", &cfg_s, "--session-only", "--profile", "dev"]);
    a.extend(base.clone());
    a.extend(argv(&["login", "--with-token"]));
    let out = run_with_stdin(a, Some(format!("{}\n", f.developer_token))).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&f.display_name));
    let file = std::fs::read_to_string(cfg.path().join("profiles.json")).unwrap();
    assert!(!file.contains(&f.developer_token));

    // Password grant with the app that allows it.
    let a = argv(&[
        "--server",
        sim.url(),
        "--client-id",
        &f.password_app.client_id,
        "login",
        "--username",
        &f.login,
        "--print-token",
    ]);
    let out = run_with_stdin(a, Some(format!("{}\n", f.password))).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    sim.shutdown().await;
}

/// The CLI against every server profile and deployment of the double (docs/real-servers.md): OOB login,
/// whoami, baskets, the 10,000-element basket with a PHP-like delay, a record, search, a download.
async fn every_deployment_of(profile: phraseanet_sim::ServerProfile) {
    use phraseanet_sim::Behind;
    for behind in [Behind::None, Behind::ApacheFpm, Behind::TlsProxy, Behind::RateLimit] {
        let name = format!("{profile:?} behind {behind:?}");
        let sim = Sim::start(SimOptions {
            dataset: Dataset::Large,
            server_profile: profile,
            behind,
            php_per_element: std::time::Duration::from_micros(250),
            ..Default::default()
        })
        .await
        .unwrap();
        let f = sim.fixtures().clone();
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, sim.ca_pem().unwrap_or_default()).unwrap();
        // The double's own certificate, when it serves TLS.
        let trust = if sim.ca_pem().is_some() { argv(&["--ca-cert", &ca.to_string_lossy()]) } else { vec![] };
        let with = |rest: &[&str]| [args(&sim, rest), trust.clone()].concat();
        let me = run(with(&["--json", "whoami"])).await;
        if profile == phraseanet_sim::ServerProfile::HeaderOnly41 && behind == Behind::ApacheFpm {
            assert!(!me.status.success(), "{name}");
            let err = String::from_utf8_lossy(&me.stderr);
            assert!(err.contains("CGIPassAuth"), "{name}: {err}");
            continue;
        }
        assert_eq!(json(&me)["user"]["id"], f.user_id, "{name}");
        let baskets = json(&run(with(&["--json", "baskets"])).await);
        assert!(!baskets.as_array().unwrap().is_empty(), "{name}");
        let large = json(&run(with(&["--json", "basket", &f.large_basket_id.unwrap().to_string()])).await);
        assert_eq!(large["basket_elements"].as_array().unwrap().len(), f.large_basket_size, "{name}");
        let (d, r) = (f.image_record.databox_id.to_string(), f.image_record.record_id.to_string());
        let rec = json(&run(with(&["--json", "record", &d, &r])).await);
        assert_eq!(rec["record"]["record_id"], f.image_record.record_id, "{name}");
        let found = json(&run(with(&["--json", "search", "", "--per-page", "5"])).await);
        assert_eq!(found["results"]["records"].as_array().unwrap().len(), 5, "{name}");
        let to = dir.path().join("out");
        let out = run(with(&["download", "record", &d, &r, "--to", &to.to_string_lossy()])).await;
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(entries(&to).len(), 1, "{name}");

        // OOB login as a person would, then the printed token works.
        let code = oob_code(&sim, &desktop_authorize_url(&sim)).await;
        let mut login = argv(&["--server", sim.url(), "--client-id", &f.desktop_app.client_id]);
        login.extend(argv(&["--client-secret", &f.desktop_app.client_secret, "login", "--code", &code]));
        login.push("--print-token".into());
        login.extend(trust.clone());
        let out = run(login).await;
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let large_path = format!("/api/v1/baskets/{}/content/", f.large_basket_id.unwrap());
        assert_eq!(sim.requests().iter().filter(|r| r.path == large_path).count(), 1, "{name}: sent once");
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn on_phraseanet_4_1_current() {
    every_deployment_of(phraseanet_sim::ServerProfile::Current41).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_phraseanet_4_1_header_only() {
    every_deployment_of(phraseanet_sim::ServerProfile::HeaderOnly41).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_phraseanet_4_1_0() {
    every_deployment_of(phraseanet_sim::ServerProfile::V410).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_phraseanet_4_0() {
    every_deployment_of(phraseanet_sim::ServerProfile::V40).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_phraseanet_3_8() {
    every_deployment_of(phraseanet_sim::ServerProfile::V38).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secret_on_the_command_line_gets_a_warning_and_the_environment_none() {
    let sim = sim().await;
    let out = run(args(&sim, &["whoami"])).await;
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("visible to other users"));
    let token = sim.fixtures().developer_token.clone();
    let out = tokio::task::spawn_blocking({
        let url = sim.url().to_string();
        move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_phraseanet-cli"))
                .args(["--server", &url, "whoami"])
                .env("PHRASEANET_TOKEN", token)
                .env("PHRASEANET_CONFIG_DIR", std::env::temp_dir().join("phraseanet-cli-tests-unused"))
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("visible to other users"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_loopback_signs_in_when_the_browser_comes_back() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let mut child = tokio::process::Command::new(BIN)
        .args(argv(&[
            "--server",
            sim.url(),
            "--client-id",
            &f.web_app.client_id,
            "--client-secret",
            &f.web_app.client_secret,
            "login",
            "--loopback",
            "--no-browser",
            "--print-token",
        ]))
        .env_remove("PHRASEANET_TOKEN")
        .env("PHRASEANET_CONFIG_DIR", std::env::temp_dir().join("phraseanet-cli-tests-unused"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // The command prints the authorize page's address; the "browser" signs in and follows the redirect.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines.next_line().await.unwrap().expect("the address is printed");
        if let Some(at) = line.find("http") {
            break line[at..].trim().to_string();
        }
    };
    assert!(url.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"), "{url}");
    let (_, shown) = phraseanet_sim::testing::come_back(&sim, &url).await;
    assert!(shown.contains("signed in"), "{shown}");
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let me = json(&run(argv(&["--server", sim.url(), "--token", &token, "--json", "whoami"])).await);
    assert_eq!(me["user"]["id"], f.user_id);
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_prints_a_redacted_report_and_exits_2_when_a_check_fails() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let healthy = run(args(&sim, &["--client-id", &f.desktop_app.client_id, "doctor"])).await;
    let text = String::from_utf8_lossy(&healthy.stdout).to_string();
    assert!(healthy.status.success(), "{text}{}", String::from_utf8_lossy(&healthy.stderr));
    assert!(text.contains("✔ Sign-in token: works: signed in as"), "{text}");
    assert!(!text.contains(&f.developer_token), "no token in the report");

    // A client id the server does not know.
    let json_out = run(args(&sim, &["--client-id", "nosuchclient1234", "--json", "doctor"])).await;
    assert_eq!(json_out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    let app = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "application").unwrap();
    assert_eq!(app["state"], "fail");
    assert_eq!(app["problem"]["code"], "invalid-client");
}

#[tokio::test(flavor = "multi_thread")]
async fn basket_commands_build_a_basket_and_print_it() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let created =
        json(&run(args(&sim, &["--json", "basket", "create", "Picks", "--description", "For Monday"])).await);
    let id = created["basket"]["basket_id"].as_i64().expect("the new basket").to_string();
    assert_eq!(created["basket"]["description"], "For Monday");
    let (img, vid) = (
        format!("{}/{}", f.image_record.databox_id, f.image_record.record_id),
        format!("{}/{}", f.video_record.databox_id, f.video_record.record_id),
    );
    let filled = json(&run(args(&sim, &["--json", "basket", "add", &id, &img, &vid])).await);
    assert_eq!(filled["basket_elements"].as_array().unwrap().len(), 2);
    let out = run(args(&sim, &["basket", "remove", &id, &vid])).await;
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("(1 elements)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let renamed = json(&run(args(&sim, &["--json", "basket", "rename", &id, "Final picks"])).await);
    assert_eq!(renamed["basket"]["name"], "Final picks");
    let described = json(&run(args(&sim, &["--json", "basket", "describe", &id, ""])).await);
    assert_eq!(described["basket"]["description"], "");
    let left = json(&run(args(&sim, &["--json", "basket", "delete", &id])).await);
    assert!(left.as_array().unwrap().iter().all(|b| b["basket_id"] != created["basket"]["basket_id"]));
    // `basket ID` still shows one; a malformed record reference is a usage error.
    let shown = json(&run(args(&sim, &["--json", "basket", &f.plain_basket_id.to_string()])).await);
    assert_eq!(shown["basket"]["basket_id"], f.plain_basket_id);
    let bad = run(args(&sim, &["basket", "add", "1", "not-a-ref"])).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("DATABOX/RECORD"));
    sim.shutdown().await;
}
