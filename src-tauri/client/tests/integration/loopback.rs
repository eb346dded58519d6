//! The loopback sign-in (RFC 8252 §7.3) against the double's web application: the browser comes back
//! to a one-shot listener; hostile or stray requests to the listener change nothing.

use std::time::Duration;

use phraseanet_client::{CancellationToken, Secret, ServerUrl, SignIn, SignedIn};
use phraseanet_sim::browser::Browser;
use phraseanet_sim::{ServerProfile, Sim, SimOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{fast_opts, server};

fn web_sign_in(sim: &Sim) -> SignIn {
    let app = &sim.fixtures().web_app;
    SignIn::with_options(server(sim), &app.client_id, Some(Secret::new(&app.client_secret)), fast_opts())
        .unwrap()
}

/// Plays the person up to the redirect back to the app, without following it: the callback URL the
/// browser would open.
async fn callback_url(sim: &Sim, authorize_url: &str) -> String {
    let f = sim.fixtures();
    let page = Browser::for_sim(sim).sign_in(authorize_url, &f.login, &f.password).await.unwrap();
    page.location.clone().expect("the server redirects back to the app")
}

/// A raw request to the listener; returns the status line and the body.
async fn raw(addr: &str, request: &str) -> (String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.lines().next().unwrap_or("").to_string();
    (status, text)
}

fn host_of(callback: &str) -> String {
    let u = url::Url::parse(callback).unwrap();
    format!("{}:{}", u.host_str().unwrap(), u.port().unwrap())
}

fn spawn_finish(
    loopback: phraseanet_client::Loopback,
    cancel: CancellationToken,
    limit: Duration,
) -> tokio::task::JoinHandle<phraseanet_client::Result<SignedIn>> {
    tokio::spawn(loopback.finish(cancel, limit))
}

#[tokio::test]
async fn the_browser_comes_back_and_the_app_is_signed_in_on_every_server_profile() {
    use ServerProfile::*;
    for profile in [Current41, HeaderOnly41, V410, V40, V38] {
        let sim = Sim::start(SimOptions { server_profile: profile, ..Default::default() }).await.unwrap();
        let loopback = web_sign_in(&sim).start_loopback("fr").await.unwrap();
        let redirect = loopback.redirect_uri().to_string();
        assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
        let authorize = url::Url::parse(&loopback.authorize().url).unwrap();
        let q: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
        assert_eq!(q["redirect_uri"], redirect);
        assert_eq!(q["code_challenge_method"], "S256", "PKCE is sent (the server ignores it)");
        assert_eq!(q["state"].len(), 32);
        let authorize = loopback.authorize().url.clone();
        let waiting = spawn_finish(loopback, CancellationToken::new(), Duration::from_secs(60));

        let callback = callback_url(&sim, &authorize).await;
        assert!(callback.starts_with(&redirect), "{callback}");
        let page = reqwest::get(&callback).await.unwrap();
        assert_eq!(page.status(), 200);
        assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
        assert_eq!(page.headers()["cache-control"], "no-store");
        let body = page.text().await.unwrap();
        assert!(body.contains("Vous êtes connecté") && !body.contains("<script"), "{profile:?}: {body}");

        let signed_in = waiting.await.unwrap().unwrap_or_else(|e| panic!("{profile:?}: {e}"));
        assert_eq!(signed_in.me.user.login.as_deref(), Some(sim.fixtures().login.as_str()), "{profile:?}");
        assert!(signed_in.expires_at.is_none(), "Phraseanet sends no expires_in");
        // The listener is closed once the sign-in is settled.
        assert!(
            tokio::net::TcpStream::connect(host_of(&callback)).await.is_err(),
            "{profile:?}: port still open"
        );
    }
}

#[tokio::test]
async fn stray_and_hostile_requests_to_the_listener_change_nothing() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let loopback = web_sign_in(&sim).start_loopback("en").await.unwrap();
    let authorize = loopback.authorize().url.clone();
    let waiting = spawn_finish(loopback, CancellationToken::new(), Duration::from_secs(60));
    let callback = callback_url(&sim, &authorize).await;
    let addr = host_of(&callback);
    let target = &callback[callback.find("/phraseanet").unwrap()..];
    let (path, query) = target.split_once('?').unwrap();

    // A slow client that never finishes its request does not block the others.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: ").await.unwrap();

    let wrong_state = query.replace("state=", "state=0");
    let cases = [
        (format!("GET {path}?{wrong_state} HTTP/1.1\r\nHost: {addr}\r\n\r\n"), "400"),
        (format!("GET {target} HTTP/1.1\r\nHost: evil.example:80\r\n\r\n"), "400"),
        (format!("GET {target} HTTP/1.1\r\n\r\n"), "400"),
        (format!("GET /other?{query} HTTP/1.1\r\nHost: {addr}\r\n\r\n"), "404"),
        (format!("POST {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n"), "405"),
        (format!("GET {path}?code=0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: {addr}\r\n\r\n"), "400"),
        (format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nX-Big: {}\r\n\r\n", "a".repeat(40_000)), "431"),
        ("\u{0}\u{1}garbage\r\n\r\n".to_string(), "400"),
    ];
    for (request, want) in &cases {
        let (status, text) = raw(&addr, request).await;
        assert!(
            status.contains(want) || (status.is_empty() && *want == "431"),
            "{}: got {status:?}",
            &request[..request.len().min(60)]
        );
        assert!(!text.contains("signed in"), "{text}");
    }
    assert!(!waiting.is_finished(), "nothing above settled the sign-in");

    // The real callback still works, once.
    let page = reqwest::get(&callback).await.unwrap().text().await.unwrap();
    assert!(page.contains("You are signed in"), "{page}");
    assert!(waiting.await.unwrap().is_ok());
    drop(slow);
}

#[tokio::test]
async fn a_desktop_application_cannot_come_back_and_says_so() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let app = &sim.fixtures().desktop_app;
    let sign_in = SignIn::with_options(server(&sim), &app.client_id, None, fast_opts()).unwrap();
    let loopback = sign_in.start_loopback("en").await.unwrap();
    let authorize = loopback.authorize().url.clone();
    let waiting = spawn_finish(loopback, CancellationToken::new(), Duration::from_secs(60));
    let page = Browser::for_sim(&sim).open(&authorize).await.unwrap();
    let back = page.location.clone().expect("redirect_uri_mismatch goes back to the app");
    let shown = reqwest::get(&back).await.unwrap().text().await.unwrap();
    assert!(shown.contains("Sign-in failed"), "{shown}");
    let err = waiting.await.unwrap().unwrap_err();
    assert_eq!(err.code(), "not-a-web-app");
}

#[tokio::test]
async fn cancel_and_the_time_limit_end_the_wait_and_close_the_port() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let loopback = web_sign_in(&sim).start_loopback("en").await.unwrap();
    let addr = host_of(loopback.redirect_uri());
    let cancel = CancellationToken::new();
    let waiting = spawn_finish(loopback, cancel.clone(), Duration::from_secs(60));
    cancel.cancel();
    assert_eq!(waiting.await.unwrap().unwrap_err().code(), "cancelled");
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err());

    let loopback = web_sign_in(&sim).start_loopback("en").await.unwrap();
    let err = loopback.finish(CancellationToken::new(), Duration::from_millis(200)).await.unwrap_err();
    assert_eq!(err.code(), "sign-in-timed-out");
    assert!(err.hint().is_some());
}

#[tokio::test]
async fn a_denied_authorization_comes_back_as_access_denied() {
    let sim = Sim::start(SimOptions::default()).await.unwrap();
    let loopback = web_sign_in(&sim).start_loopback("en").await.unwrap();
    let authorize = loopback.authorize().url.clone();
    let state =
        url::Url::parse(&authorize).unwrap().query_pairs().find(|(k, _)| k == "state").unwrap().1.to_string();
    let redirect = loopback.redirect_uri().to_string();
    let waiting = spawn_finish(loopback, CancellationToken::new(), Duration::from_secs(60));
    reqwest::get(format!("{redirect}?state={state}&error=access_denied")).await.unwrap();
    assert_eq!(waiting.await.unwrap().unwrap_err().code(), "access-denied");
    let _ = ServerUrl::parse(sim.url()).unwrap();
}
