//! The built binary against an in-process double.

use std::path::Path;
use std::process::Output;

use phraseanet_sim::{Dataset, Sim, SimOptions};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_phraseanet-cli");

async fn run(args: Vec<String>) -> Output {
    run_with_stdin(args, None).await
}

async fn run_with_stdin(args: Vec<String>, stdin: Option<String>) -> Output {
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

fn args(sim: &Sim, rest: &[&str]) -> Vec<String> {
    let mut v = vec![
        "--server".to_string(),
        sim.url().to_string(),
        "--token".into(),
        sim.fixtures().developer_token.clone(),
    ];
    v.extend(rest.iter().map(|s| s.to_string()));
    v
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[tokio::test(flavor = "multi_thread")]
async fn browse_commands_print_typed_json() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
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
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let res = json(&run(args(&sim, &["--json", "search", "", "--per-page", "5"])).await);
    assert_eq!(res["results"]["records"].as_array().unwrap().len(), 5);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_with_code_prints_a_working_token() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let authorize = format!(
        "{}/api/oauthv2/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
        sim.url(),
        f.desktop_app.client_id
    );
    let code = phraseanet_sim::browser::Browser::new()
        .sign_in_and_get_code(&authorize, &f.login, &f.password)
        .await
        .unwrap();
    let out = run(vec![
        "--server".into(),
        sim.url().into(),
        "--client-id".into(),
        f.desktop_app.client_id.clone(),
        "--client-secret".into(),
        f.desktop_app.client_secret.clone(),
        "login".into(),
        "--code".into(),
        code,
        "--print-token".into(),
    ])
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(token.len(), 32);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&f.display_name));
    let me = json(
        &run(vec![
            "--server".into(),
            sim.url().into(),
            "--token".into(),
            token,
            "--json".into(),
            "whoami".into(),
        ])
        .await,
    );
    assert_eq!(me["user"]["id"], f.user_id);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_saves_a_profile_without_secrets() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let cfg = tempfile::tempdir().unwrap();
    let cfg_s = cfg.path().to_string_lossy().to_string();
    let authorize = format!(
        "{}/api/oauthv2/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
        sim.url(),
        f.desktop_app.client_id
    );
    let code = phraseanet_sim::browser::Browser::new()
        .sign_in_and_get_code(&authorize, &f.login, &f.password)
        .await
        .unwrap();
    let out = run(vec![
        "--config-dir".into(),
        cfg_s.clone(),
        "--session-only".into(),
        "--profile".into(),
        "sim".into(),
        "--server".into(),
        sim.url().into(),
        "--client-id".into(),
        f.desktop_app.client_id.clone(),
        "--client-secret".into(),
        f.desktop_app.client_secret.clone(),
        "--json".into(),
        "login".into(),
        "--code".into(),
        format!("code={code}"),
    ])
    .await;
    let summary = json(&out);
    assert_eq!(summary["name"], "sim");
    assert_eq!(summary["user_name"], f.display_name.as_str());
    let file = std::fs::read_to_string(cfg.path().join("profiles.json")).unwrap();
    assert!(file.contains(&f.desktop_app.client_id));
    assert!(!file.contains(&f.desktop_app.client_secret));
    let list = json(
        &run(vec![
            "--config-dir".into(),
            cfg_s,
            "--session-only".into(),
            "--json".into(),
            "profile".into(),
            "list".into(),
        ])
        .await,
    );
    assert_eq!(list[0]["name"], "sim");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_messages_and_exit_codes() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let bad =
        run(vec!["--server".into(), sim.url().into(), "--token".into(), "nope".into(), "whoami".into()])
            .await;
    assert_eq!(bad.status.code(), Some(3));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("Signed out: sign in again"), "{err}");
    assert!(!err.contains("panicked"));

    let bad = run(vec![
        "--server".into(),
        sim.url().into(),
        "--token".into(),
        "nope".into(),
        "--json".into(),
        "baskets".into(),
    ])
    .await;
    let payload: Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(payload["code"], "signed-out");

    let garbage = run(vec![
        "--server".into(),
        sim.url().into(),
        "--client-id".into(),
        f.desktop_app.client_id.clone(),
        "login".into(),
        "--code".into(),
        "hello world".into(),
        "--print-token".into(),
    ])
    .await;
    assert_eq!(garbage.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&garbage.stderr).contains("not an authorization code"));

    let insecure = run(vec![
        "--server".into(),
        "http://dam.example.org".into(),
        "--token".into(),
        "x".into(),
        "whoami".into(),
    ])
    .await;
    assert_eq!(insecure.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&insecure.stderr).contains("in clear"));

    let missing = run(args(&sim, &["basket", "987654"])).await;
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("error: Not found"));
    sim.shutdown().await;
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().to_string_lossy().to_string();
    let (d, r) = (f.image_record.databox_id.to_string(), f.image_record.record_id.to_string());
    let out = run(args(&sim, &["download", "record", &d, &r, "--subdef", "preview", "--to", &to])).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(files(dir.path()).len(), 1);
    let out =
        run(args(&sim, &["--json", "download", "basket", &f.media_basket_id.to_string(), "--to", &to])).await;
    let rows = json(&out);
    assert!(!rows.as_array().unwrap().is_empty());
    assert!(files(dir.path()).iter().all(|p| !p.to_string_lossy().ends_with(".part")));
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
    for p in files(dir.path()) {
        assert_eq!(p.parent().unwrap(), dir.path());
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_reads_the_code_or_a_token_from_stdin() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let f = sim.fixtures().clone();
    let authorize = format!(
        "{}/api/oauthv2/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
        sim.url(),
        f.desktop_app.client_id
    );
    let page =
        phraseanet_sim::browser::Browser::new().sign_in(&authorize, &f.login, &f.password).await.unwrap();
    let code = page.authorize_token().unwrap();
    let base =
        vec!["--server".to_string(), sim.url().into(), "--client-id".into(), f.desktop_app.client_id.clone()];
    let mut a = base.clone();
    a.extend(["login".into(), "--no-browser".into(), "--print-token".into()]);
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
    let mut a = vec![
        "--config-dir".to_string(),
        cfg_s.clone(),
        "--session-only".into(),
        "--profile".into(),
        "dev".into(),
    ];
    a.extend(base.clone());
    a.extend(["login".into(), "--with-token".into()]);
    let out = run_with_stdin(a, Some(format!("{}\n", f.developer_token))).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&f.display_name));
    let file = std::fs::read_to_string(cfg.path().join("profiles.json")).unwrap();
    assert!(!file.contains(&f.developer_token));

    // Password grant with the app that allows it.
    let mut a = vec![
        "--server".to_string(),
        sim.url().into(),
        "--client-id".into(),
        f.password_app.client_id.clone(),
    ];
    a.extend(["login".into(), "--username".into(), f.login.clone(), "--print-token".into()]);
    let out = run_with_stdin(a, Some(format!("{}\n", f.password))).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    sim.shutdown().await;
}
