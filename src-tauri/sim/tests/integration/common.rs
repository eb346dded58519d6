//! Helpers shared by the black-box tests.

pub use phraseanet_sim::testing::{authorize_url, http, oob_code};
use phraseanet_sim::{Dataset, ServerProfile, Sim, SimOptions};
use serde_json::Value;

pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

pub async fn sim() -> Sim {
    Sim::start(SimOptions::default()).await.expect("start sim")
}

pub async fn sim_with(dataset: Dataset) -> Sim {
    Sim::start(SimOptions { dataset, ..Default::default() }).await.expect("start sim")
}

pub async fn sim_opts(options: SimOptions) -> Sim {
    Sim::start(options).await.expect("start sim")
}

pub async fn sim_profile(server_profile: ServerProfile) -> Sim {
    sim_opts(SimOptions { server_profile, ..Default::default() }).await
}

/// GET an API path with the developer token in the query string (works on every profile but
/// header-only); returns (status, json).
pub async fn api_q(sim: &Sim, path: &str) -> (u16, Value) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let url = format!("{}{path}{sep}oauth_token={}", sim.url(), sim.fixtures().developer_token);
    let res = http().get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}")))
}

/// An authorization code as the double issues them: 32 lowercase hex digits.
pub fn is_code(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// GET an API path with the developer token; returns (status, json).
pub async fn api(sim: &Sim, path: &str) -> (u16, Value) {
    let token = sim.fixtures().developer_token.clone();
    api_as(sim, &token, path).await
}

pub async fn api_as(sim: &Sim, token: &str, path: &str) -> (u16, Value) {
    let res = http()
        .get(format!("{}{path}", sim.url()))
        .header("Authorization", format!("OAuth {token}"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}")))
}

pub async fn post_api(sim: &Sim, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = http()
        .post(format!("{}{path}", sim.url()))
        .header("Authorization", format!("OAuth {}", sim.fixtures().developer_token))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

/// POST /api/oauthv2/token with a form; returns (status, headers, body).
pub async fn token_request(sim: &Sim, form: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
    let res = http().post(format!("{}/api/oauthv2/token", sim.url())).form(form).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.text().await.unwrap())
}

/// Exchanges an OOB code with the desktop app's credentials in the body.
pub async fn exchange(sim: &Sim, code: &str) -> (u16, String) {
    let app = &sim.fixtures().desktop_app;
    let (status, _, body) = token_request(
        sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", OOB),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
        ],
    )
    .await;
    (status, body)
}
