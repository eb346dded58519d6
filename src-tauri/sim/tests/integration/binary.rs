//! The `phraseanet-sim` binary: first stdout line, loopback default, --help.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use phraseanet_sim::testing::oob_code_as;

const BIN: &str = env!("CARGO_BIN_EXE_phraseanet-sim");

struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn first_line_describes_the_demo_app_and_user() {
    let mut child = Child(
        Command::new(BIN)
            .args(["--code-lifetime", "5", "--fixtures"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["url", "client_id", "client_secret", "login", "password", "developer_token"]);
    let url = first["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"));
    let fixtures: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(fixtures["desktop_app"]["client_id"], first["client_id"]);
    assert!(fixtures.get("password").is_none() && fixtures["second_user"].get("password").is_none());
    assert!(fixtures["plain_basket_id"].is_i64());

    let discovery: serde_json::Value =
        reqwest::get(format!("{url}/api/")).await.unwrap().json().await.unwrap();
    assert_eq!(discovery["response"]["type"], "phraseanet");
    let authorize = format!(
        "{url}/api/oauthv2/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
        first["client_id"].as_str().unwrap()
    );
    let code =
        oob_code_as(&authorize, first["login"].as_str().unwrap(), first["password"].as_str().unwrap()).await;
    assert_eq!(code.len(), 32);
    let me = reqwest::Client::new()
        .get(format!("{url}/api/v1/me/"))
        .header("Authorization", format!("OAuth {}", first["developer_token"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status().as_u16(), 200);
}

#[test]
fn help_documents_every_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--bind",
        "--port",
        "--dataset",
        "--basket-size",
        "--code-lifetime",
        "--require-https",
        "--latency-ms",
        "--fail-rate",
        "--drop-rate",
        "--truncate-rate",
        "--slow-body-ms",
        "--seed",
        "--faults-on-oauth",
        "--server-profile",
        "--behind",
        "--tls",
        "--php-ms-per-element",
        "--php-time-limit-s",
        "--api-disabled",
        "--rate-limit",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    // Every profile and behind-mode, with what it models.
    for value in [
        "4.1-current",
        "4.1-header-only",
        "4.1.0",
        "4.0",
        "3.8",
        "apache-fpm",
        "tls-proxy",
        "rate-limit",
        "lib/OAuth2.php:960",
        "CGIPassAuth",
    ] {
        assert!(help.contains(value), "{value} missing from --help");
    }
}
