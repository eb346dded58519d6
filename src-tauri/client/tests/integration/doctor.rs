//! The connection doctor against every failure the double can produce: each check's verdict and the
//! error code whose hint is the next step; the text report never carries a secret.

use phraseanet_client::doctor::{diagnose, CheckId, CheckState, DoctorInput, DoctorReport};
use phraseanet_client::{AuthMethod, HttpOptions, Secret};
use phraseanet_sim::{Behind, ServerProfile, Sim, SimOptions};

async fn sim_with(edit: impl FnOnce(&mut SimOptions)) -> Sim {
    let mut o = SimOptions::default();
    edit(&mut o);
    Sim::start(o).await.unwrap()
}

fn opts(sim: &Sim) -> HttpOptions {
    HttpOptions { extra_roots_pem: sim.ca_pem().into_iter().collect(), ..HttpOptions::default() }
}

/// The desktop app, OOB, with the fixture developer token.
fn input(sim: &Sim) -> DoctorInput {
    DoctorInput {
        server: sim.url().to_string(),
        client_id: Some(sim.fixtures().desktop_app.client_id.clone()),
        auth: Some(AuthMethod::OauthOob),
        token: Some(Secret::new(&sim.fixtures().developer_token)),
        transport: None,
    }
}

fn state(r: &DoctorReport, id: CheckId) -> CheckState {
    r.checks.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no {id:?} in {r:#?}")).state
}

fn code(r: &DoctorReport, id: CheckId) -> String {
    let c = r.checks.iter().find(|c| c.id == id).unwrap();
    c.problem.as_ref().map(|p| p.code.to_string()).unwrap_or_else(|| panic!("{id:?} has no problem: {c:?}"))
}

fn detail(r: &DoctorReport, id: CheckId) -> String {
    r.checks.iter().find(|c| c.id == id).unwrap().detail.clone()
}

#[tokio::test]
async fn a_healthy_server_passes_every_check_and_the_report_keeps_secrets_out() {
    let sim = sim_with(|_| {}).await;
    let r = diagnose(&input(&sim), &opts(&sim)).await;
    assert!(r.healthy(), "{r:#?}");
    for c in &r.checks {
        assert_eq!(c.state, CheckState::Pass, "{c:?}");
    }
    let order: Vec<CheckId> = r.checks.iter().map(|c| c.id).collect();
    assert_eq!(order.first(), Some(&CheckId::Address));
    assert_eq!(order.last(), Some(&CheckId::Proxy));
    assert!(detail(&r, CheckId::Phraseanet).contains("4.1.1 or later"));
    assert!(detail(&r, CheckId::Token).contains(&sim.fixtures().display_name));
    assert!(detail(&r, CheckId::Application).contains("Desktop"));
    let text = r.text.clone();
    let f = sim.fixtures();
    for secret in [&f.developer_token, &f.desktop_app.client_secret, &f.password] {
        assert!(!text.contains(secret.as_str()), "{text}");
    }
    assert!(text.contains("127.0.0.1"), "host names are kept: {text}");
    assert!(text.contains("✔ Sign-in token"), "{text}");
}

#[tokio::test]
async fn tls_shows_the_issuer_and_expiry() {
    let sim = sim_with(|o| o.tls = true).await;
    let r = diagnose(&input(&sim), &opts(&sim)).await;
    assert_eq!(state(&r, CheckId::Tls), CheckState::Pass, "{r:#?}");
    assert!(detail(&r, CheckId::Tls).contains("valid until"), "{}", detail(&r, CheckId::Tls));
    // Without the double's CA the certificate is not trusted, and nothing after it runs.
    let r = diagnose(&input(&sim), &HttpOptions::default()).await;
    assert_eq!(state(&r, CheckId::Tls), CheckState::Fail);
    assert_eq!(code(&r, CheckId::Tls), "tls");
    assert_eq!(state(&r, CheckId::Token), CheckState::Skipped);
}

#[tokio::test]
async fn an_address_that_does_not_resolve_or_is_not_valid() {
    let r = diagnose(
        &DoctorInput { server: "https://no-such-host.invalid".into(), ..Default::default() },
        &HttpOptions::default(),
    )
    .await;
    assert_eq!(state(&r, CheckId::Dns), CheckState::Fail);
    assert_eq!(code(&r, CheckId::Dns), "network");
    assert_eq!(state(&r, CheckId::Phraseanet), CheckState::Skipped);
    let r =
        diagnose(&DoctorInput { server: "ftp://x".into(), ..Default::default() }, &HttpOptions::default())
            .await;
    assert_eq!(state(&r, CheckId::Address), CheckState::Fail);
    assert!(r.checks.iter().skip(1).all(|c| c.state == CheckState::Skipped));
}

#[tokio::test]
async fn api_switched_off() {
    let sim = sim_with(|o| o.api_disabled = true).await;
    let r = diagnose(&input(&sim), &opts(&sim)).await;
    assert_eq!(state(&r, CheckId::Phraseanet), CheckState::Pass, "discovery still answers");
    assert_eq!(code(&r, CheckId::Api), "api-disabled");
    assert_eq!(state(&r, CheckId::Token), CheckState::Skipped);
}

#[tokio::test]
async fn the_application_check_reads_the_client_id_and_its_kind() {
    let sim = sim_with(|_| {}).await;
    let f = sim.fixtures().clone();
    let unknown = DoctorInput { client_id: Some("nosuchclient1234".into()), ..input(&sim) };
    assert_eq!(code(&diagnose(&unknown, &opts(&sim)).await, CheckId::Application), "invalid-client");
    // A web application used for the paste sign-in, and a Desktop one for the loopback sign-in.
    let web_for_oob = DoctorInput { client_id: Some(f.web_app.client_id.clone()), ..input(&sim) };
    assert_eq!(code(&diagnose(&web_for_oob, &opts(&sim)).await, CheckId::Application), "not-a-desktop-app");
    let desktop_for_loopback = DoctorInput { auth: Some(AuthMethod::Loopback), ..input(&sim) };
    assert_eq!(
        code(&diagnose(&desktop_for_loopback, &opts(&sim)).await, CheckId::Application),
        "not-a-web-app"
    );
    let web_for_loopback = DoctorInput {
        client_id: Some(f.web_app.client_id.clone()),
        auth: Some(AuthMethod::Loopback),
        ..input(&sim)
    };
    let r = diagnose(&web_for_loopback, &opts(&sim)).await;
    assert_eq!(state(&r, CheckId::Application), CheckState::Pass);
    assert!(detail(&r, CheckId::Application).contains("http://127.0.0.1"));
}

#[tokio::test]
async fn the_token_transport_as_deployments_allow_it() {
    let stripped = sim_with(|o| o.behind = Behind::ApacheFpm).await;
    let r = diagnose(&input(&stripped), &opts(&stripped)).await;
    assert_eq!(state(&r, CheckId::TokenTransport), CheckState::Pass);
    assert!(detail(&r, CheckId::TokenTransport).contains("parameter only"), "{r:#?}");
    assert_eq!(state(&r, CheckId::Token), CheckState::Pass, "the token works as a parameter");

    let none = sim_with(|o| {
        o.behind = Behind::ApacheFpm;
        o.server_profile = ServerProfile::HeaderOnly41;
    })
    .await;
    let r = diagnose(&input(&none), &opts(&none)).await;
    assert_eq!(code(&r, CheckId::TokenTransport), "token-transport");

    let old = sim_with(|o| o.server_profile = ServerProfile::V40).await;
    let r = diagnose(&input(&old), &opts(&old)).await;
    assert!(detail(&r, CheckId::Phraseanet).contains("4.0"), "{}", detail(&r, CheckId::Phraseanet));
    assert_eq!(state(&r, CheckId::Token), CheckState::Pass);
}

#[tokio::test]
async fn a_revoked_token_is_named_and_left_alone() {
    let sim = sim_with(|_| {}).await;
    assert!(sim.revoke_token(&sim.fixtures().developer_token));
    let r = diagnose(&input(&sim), &opts(&sim)).await;
    assert_eq!(code(&r, CheckId::Token), "signed-out");
    assert!(!r.healthy());
    assert!(r.text.contains("✘ Sign-in token"));
    let without = DoctorInput { token: None, ..input(&sim) };
    assert_eq!(state(&diagnose(&without, &opts(&sim)).await, CheckId::Token), CheckState::Skipped);
}

#[tokio::test]
async fn the_https_gate_over_http_and_behind_an_untrusted_tls_proxy() {
    let plain = sim_with(|o| o.require_https = true).await;
    assert_eq!(
        code(&diagnose(&input(&plain), &opts(&plain)).await, CheckId::TokenEndpoint),
        "https-required"
    );
    let proxied = sim_with(|o| {
        o.behind = Behind::TlsProxy;
        o.require_https = true;
    })
    .await;
    let r = diagnose(&input(&proxied), &opts(&proxied)).await;
    assert_eq!(code(&r, CheckId::TokenEndpoint), "https-not-seen");
    assert!(r.text.contains("Next step: Ask the server's administrator"), "{}", r.text);
}
