//! OAuth2 token endpoint (api §2.3-§2.4, §9.3): every error row, Basic/body credentials, password grant,
//! code expiry and reuse, the HTTPS gate.

use std::time::Duration;

use crate::common::*;
use phraseanet_sim::browser::Browser;
use phraseanet_sim::{Sim, SimOptions};

#[tokio::test]
async fn token_endpoint_errors_table() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let (id, secret) = (f.desktop_app.client_id.as_str(), f.desktop_app.client_secret.as_str());
    let code = oob_code(&sim, &authorize_url(&sim, id, OOB, "")).await;
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("code", &code)], "invalid_request"),
        (vec![("grant_type", "client_credentials"), ("client_id", id)], "invalid_request"),
        (vec![("grant_type", "refresh_token"), ("client_id", id)], "unsupported_grant_type"),
        (vec![("grant_type", "assertion"), ("client_id", id)], "unsupported_grant_type"),
        (
            vec![("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", OOB)],
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", "nobody"),
                ("code", &code),
                ("redirect_uri", OOB),
            ],
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", id),
                ("client_secret", "bad"),
                ("code", &code),
                ("redirect_uri", OOB),
            ],
            "invalid_client",
        ),
        (
            vec![("grant_type", "authorization_code"), ("client_id", id), ("redirect_uri", OOB)],
            "invalid_request",
        ),
        (vec![("grant_type", "authorization_code"), ("client_id", id), ("code", &code)], "invalid_request"),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", id),
                ("code", "0123456789abcdef0123456789abcdef"),
                ("redirect_uri", OOB),
            ],
            "invalid_grant",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", id),
                ("code", &code),
                ("redirect_uri", "http://127.0.0.1/"),
            ],
            "invalid_grant",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", &f.password_app.client_id),
                ("code", &code),
                ("redirect_uri", OOB),
            ],
            "invalid_grant",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", id),
                ("code", &code),
                ("redirect_uri", OOB),
                ("scope", "x"),
            ],
            "invalid_scope",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", id),
                ("username", &f.login),
                ("password", &f.password),
            ],
            "unsupported_grant_type",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", &f.password_app.client_id),
                ("username", &f.login),
            ],
            "invalid_request",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", &f.password_app.client_id),
                ("username", &f.login),
                ("password", "no"),
            ],
            "invalid_grant",
        ),
    ];
    for (form, expected) in cases {
        let (status, headers, body) = token_request(&sim, &form).await;
        assert_eq!(status, 400, "{form:?}");
        assert_eq!(body, format!("{{\"error\":\"{expected}\"}}"), "{form:?}");
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["cache-control"], "no-store");
    }
    // Basic and body credentials together: invalid_client.
    let res = http()
        .post(format!("{}/api/oauthv2/token", sim.url()))
        .basic_auth(id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("code", &code),
            ("redirect_uri", OOB),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), r#"{"error":"invalid_client"}"#);
    // Query-string parameters and JSON bodies are ignored.
    let q = format!("grant_type=authorization_code&client_id={id}&code={code}&redirect_uri={OOB}");
    let res = http().post(format!("{}/api/oauthv2/token?{q}", sim.url())).send().await.unwrap();
    assert_eq!(res.text().await.unwrap(), r#"{"error":"invalid_request"}"#);
    let res = http()
        .post(format!("{}/api/oauthv2/token", sim.url()))
        .json(&serde_json::json!({"grant_type": "authorization_code", "client_id": id, "code": code, "redirect_uri": OOB}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), r#"{"error":"invalid_request"}"#);
    // GET: 405 HTML page.
    let res = http().get(format!("{}/api/oauthv2/token", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 405);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    // Success without a secret; the code is reusable until it expires (api §2.2).
    for _ in 0..2 {
        let (status, headers, body) = token_request(
            &sim,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", id),
                ("code", &code),
                ("redirect_uri", OOB),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(headers["cache-control"], "no-store");
        assert_eq!(headers["content-type"], "application/json");
        assert!(body.starts_with("{\"access_token\":\"") && body.ends_with("\",\"scope\":null}"));
    }
}

#[tokio::test]
async fn password_grant_only_for_the_app_that_enables_it() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let app = &f.password_app;
    let (status, _, body) = token_request(
        &sim,
        &[
            ("grant_type", "password"),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("username", &f.second_user.login),
            ("password", &f.second_user.password),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(is_code(v["access_token"].as_str().unwrap()));
    let (status, me) = api_as(&sim, v["access_token"].as_str().unwrap(), "/api/v1/me/").await;
    assert_eq!(status, 200);
    assert_eq!(me["response"]["user"]["id"], f.second_user.user_id);
}

#[tokio::test]
async fn codes_expire_after_the_configured_lifetime() {
    let sim = Sim::start(SimOptions { code_lifetime: Duration::from_millis(400), ..Default::default() })
        .await
        .unwrap();
    let f = sim.fixtures().clone();
    let url = authorize_url(&sim, &f.desktop_app.client_id, OOB, "");
    let browser = Browser::new();
    let code = browser.sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(exchange(&sim, &code).await, (400, r#"{"error":"expired_token"}"#.to_string()));
    // set_code_lifetime applies to codes not yet exchanged.
    let code = browser.sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
    sim.set_code_lifetime(Duration::from_secs(30));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(exchange(&sim, &code).await.0, 200);
}

#[tokio::test]
async fn https_gate_on_the_token_endpoint() {
    let sim = Sim::start(SimOptions { require_https: true, ..Default::default() }).await.unwrap();
    let f = sim.fixtures().clone();
    let code = oob_code(&sim, &authorize_url(&sim, &f.desktop_app.client_id, OOB, "")).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", f.desktop_app.client_id.as_str()),
        ("code", &code),
        ("redirect_uri", OOB),
    ];
    let (status, headers, body) = token_request(&sim, &form).await;
    assert_eq!(status, 400);
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(body, r#"{"msg":"This route requires the use of the https scheme: 1","code":400}"#);
    let res = http()
        .post(format!("{}/api/oauthv2/token", sim.url()))
        .header("X-Forwarded-Proto", "https")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}
