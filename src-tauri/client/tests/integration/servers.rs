//! The client against every server profile and deployment the double models (docs/real-servers.md):
//! sign in (developer token, OOB, password grant, loopback), list baskets, open the 10,000-element basket with a PHP-like delay
//! before its first byte, open a record, search, fetch a thumbnail, download an original. The double's
//! request log shows how the token travelled and that each heavy call was sent once.

use std::time::Duration;

use phraseanet_client::media::CancellationToken;
use phraseanet_client::models::SearchQuery;
use phraseanet_client::{
    Api, DownloadNote, HttpOptions, Media, MediaOptions, MediaSource, RecordRef, Secret, ServerUrl, SignIn,
    TokenTransport,
};
use phraseanet_sim::{Behind, Dataset, LoggedRequest, ServerProfile, Sim, SimOptions, TokenSeen};

use crate::common::{rr, try_oob_code};

const BEHINDS: [Behind; 4] = [Behind::None, Behind::ApacheFpm, Behind::TlsProxy, Behind::RateLimit];
const BASKET: usize = 10_000;
/// 10,000 elements × 0.25 ms: the first byte comes after 2.5 s, past the light-call budget below.
const PHP_PER_ELEMENT: Duration = Duration::from_micros(250);

/// Budgets scaled down with the double's delays (the real ones: 30 s light, 150 s heavy, 30 s silence),
/// so the matrix proves the heavy call outwaits the light budget without minutes per cell.
fn opts(sim: &Sim) -> HttpOptions {
    HttpOptions {
        first_byte: Duration::from_millis(1500),
        heavy_first_byte: Duration::from_secs(60),
        read_timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(20),
        extra_roots_pem: sim.ca_pem().into_iter().collect(),
        ..HttpOptions::default()
    }
}

async fn start(profile: ServerProfile, behind: Behind) -> Sim {
    Sim::start(SimOptions {
        dataset: Dataset::Large,
        basket_size: BASKET,
        server_profile: profile,
        behind,
        php_per_element: PHP_PER_ELEMENT,
        ..Default::default()
    })
    .await
    .expect("the double starts")
}

/// The transport a profile and deployment leave, or None when no way works.
fn expected(profile: ServerProfile, behind: Behind) -> Option<TokenTransport> {
    match (profile, behind) {
        (ServerProfile::HeaderOnly41, Behind::ApacheFpm) => None,
        (ServerProfile::Current41 | ServerProfile::HeaderOnly41, _) if behind != Behind::ApacheFpm => {
            Some(TokenTransport::Header)
        }
        _ => Some(TokenTransport::Param),
    }
}

fn cell(profile: ServerProfile, behind: Behind) -> String {
    format!("{profile:?} behind {behind:?}")
}

/// Requests that carried the real token (the probe's dummy "0" is not one).
fn with_token<'a>(log: &'a [LoggedRequest], token: &str) -> Vec<&'a LoggedRequest> {
    log.iter().filter(|r| r.token.as_deref() == Some(token)).collect()
}

async fn matrix(profile: ServerProfile) {
    for behind in BEHINDS {
        let sim = start(profile, behind).await;
        let name = cell(profile, behind);
        let f = sim.fixtures().clone();
        let server = ServerUrl::parse(sim.url()).unwrap();
        let sign_in = SignIn::with_options(
            server.clone(),
            &f.desktop_app.client_id,
            Some(Secret::new(&f.desktop_app.client_secret)),
            opts(&sim),
        )
        .unwrap();

        // Developer token: the transport is settled before anything is stored.
        let signed = sign_in.finish_developer_token(Secret::new(&f.developer_token)).await;
        let Some(transport) = expected(profile, behind) else {
            let err = signed.unwrap_err();
            assert_eq!(err.code(), "token-transport", "{name}: {err:?}");
            assert!(err.hint().unwrap().contains("CGIPassAuth"), "{name}");
            continue;
        };
        let signed = signed.unwrap_or_else(|e| panic!("{name}: developer token: {e:?}"));
        assert_eq!(signed.api.transport(), transport, "{name}");
        assert_eq!(signed.me.user.name(), f.display_name, "{name}");

        // OOB, as a person would (the browser trusts the double's certificate when it has one).
        let code = try_oob_code(&sim, &sign_in.authorize_url().url)
            .await
            .unwrap_or_else(|e| panic!("{name}: browser: {e:?}"));
        let oob = sign_in.finish_oob(&code).await.unwrap_or_else(|e| panic!("{name}: OOB: {e:?}"));
        assert_eq!(oob.api.transport(), transport, "{name}");

        // The password grant, with the application that allows it.
        let app = &f.password_app;
        let password = SignIn::with_options(server.clone(), &app.client_id, None, opts(&sim)).unwrap();
        let signed = password.finish_password(&f.login, &Secret::new(&f.password)).await;
        let signed = signed.unwrap_or_else(|e| panic!("{name}: password grant: {e:?}"));
        assert_eq!(signed.api.transport(), transport, "{name}");

        // Loopback, with the web application: the browser comes back to a local listener.
        let app = &f.web_app;
        let web = SignIn::with_options(server.clone(), &app.client_id, None, opts(&sim)).unwrap();
        let loopback = web.start_loopback("en").await.unwrap();
        let url = loopback.authorize().url.clone();
        let waiting = tokio::spawn(loopback.finish(CancellationToken::new(), Duration::from_secs(60)));
        phraseanet_sim::testing::come_back(&sim, &url).await;
        let signed = waiting.await.unwrap().unwrap_or_else(|e| panic!("{name}: loopback: {e:?}"));
        assert_eq!(signed.api.transport(), transport, "{name}");

        let api = Api::with_transport(server.clone(), Secret::new(&f.developer_token), opts(&sim), transport)
            .unwrap();
        sim.clear_requests();
        browse(&sim, &api, &name).await;

        let log = sim.requests();
        let token = &f.developer_token;
        let large = format!("/api/v1/baskets/{}/content/", f.large_basket_id.unwrap());
        assert_eq!(log.iter().filter(|r| r.path == large).count(), 1, "{name}: one request per heavy call");
        let carried = with_token(&log, token);
        assert!(carried.len() > 5, "{name}: the log saw the token");
        for r in carried {
            assert!(r.transport.len() == 1, "{name}: never both transports: {r:?}");
            match transport {
                TokenTransport::Header => assert_eq!(r.transport, [TokenSeen::Header], "{name}: {r:?}"),
                TokenTransport::Param => {
                    assert!(
                        !r.path.starts_with("/medias/") && !r.path.starts_with("/permalink/"),
                        "{name}: media carry no token in param mode: {r:?}"
                    );
                    assert!(matches!(r.transport[0], TokenSeen::Query | TokenSeen::Form), "{name}: {r:?}");
                }
            }
        }
        if transport == TokenTransport::Header {
            assert!(
                log.iter().all(|r| !r.transport.contains(&TokenSeen::Query)),
                "{name}: no token in a URL"
            );
        }
        sim.shutdown().await;
    }
}

/// Baskets, the large basket, a record, search, a thumbnail and an original.
async fn browse(sim: &Sim, api: &Api, name: &str) {
    let f = sim.fixtures().clone();
    let baskets = api.baskets().await.unwrap_or_else(|e| panic!("{name}: baskets: {e:?}"));
    assert!(baskets.iter().any(|b| Some(b.basket_id) == f.large_basket_id), "{name}");

    let started = std::time::Instant::now();
    let large =
        api.basket(f.large_basket_id.unwrap()).await.unwrap_or_else(|e| panic!("{name}: large: {e:?}"));
    assert_eq!(large.basket_elements.len(), BASKET, "{name}");
    assert!(started.elapsed() >= PHP_PER_ELEMENT * BASKET as u32, "{name}: the double made it wait");

    let record = api.record(rr(&f.image_record)).await.unwrap_or_else(|e| panic!("{name}: record: {e:?}"));
    assert_eq!(record.record_id, f.image_record.record_id, "{name}");
    let found = api.search(&SearchQuery::new("")).await.unwrap_or_else(|e| panic!("{name}: search: {e:?}"));
    assert!(found.total_results > 0, "{name}");

    let cache = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(cache.path())).unwrap();
    let thumb = MediaSource::thumbnail(&record).expect("the image has a thumbnail");
    if sim.url().starts_with("https://") && name.contains("TlsProxy") {
        // The proxy is not trusted: the server builds http:// URLs; the client upgrades them.
        assert!(thumb.url.starts_with("http://"), "{name}: {}", thumb.url);
    }
    let bytes = media.fetch(&thumb).await.unwrap_or_else(|e| panic!("{name}: thumbnail: {e:?}"));
    assert!(bytes.size > 0, "{name}");

    // One original the server rewrote after upload, one it did not: both are kept.
    let rewritten = f.rewritten_documents.first().expect("the dataset has rewritten documents");
    for (r, differs) in [(rr(rewritten), true), (untouched(&f), false)] {
        let file = media
            .download_record(r, "document", out.path(), &|_| {}, &CancellationToken::new())
            .await
            .unwrap_or_else(|e| panic!("{name}: download {r:?}: {e:?}"));
        assert_eq!(file.note == Some(DownloadNote::DiffersFromOriginal), differs, "{name}: {r:?}");
        assert_eq!(std::fs::metadata(&file.path).unwrap().len(), file.size, "{name}");
    }
}

fn untouched(f: &phraseanet_sim::Fixtures) -> RecordRef {
    [&f.image_record, &f.png_record, &f.document_record, &f.video_record, &f.audio_record]
        .into_iter()
        .find(|r| !f.rewritten_documents.contains(r))
        .map(rr)
        .expect("a record whose document is as uploaded")
}

#[tokio::test]
async fn phraseanet_4_1_current() {
    matrix(ServerProfile::Current41).await;
}

#[tokio::test]
async fn phraseanet_4_1_header_only() {
    matrix(ServerProfile::HeaderOnly41).await;
}

#[tokio::test]
async fn phraseanet_4_1_0() {
    matrix(ServerProfile::V410).await;
}

#[tokio::test]
async fn phraseanet_4_0() {
    matrix(ServerProfile::V40).await;
}

#[tokio::test]
async fn phraseanet_3_8() {
    matrix(ServerProfile::V38).await;
}

/// A double on the default profile with `tweak` applied.
async fn sim_with(tweak: impl FnOnce(&mut SimOptions)) -> Sim {
    let mut o = SimOptions::default();
    tweak(&mut o);
    Sim::start(o).await.expect("the double starts")
}

fn signin(sim: &Sim, client_id: &str) -> SignIn {
    let secret = Secret::new(&sim.fixtures().desktop_app.client_secret);
    SignIn::with_options(ServerUrl::parse(sim.url()).unwrap(), client_id, Some(secret), opts(sim)).unwrap()
}

#[tokio::test]
async fn an_api_turned_off_is_named_before_any_secret_is_sent() {
    let sim = sim_with(|o| o.api_disabled = true).await;
    let f = sim.fixtures().clone();
    let err =
        phraseanet_client::discover(&ServerUrl::parse(sim.url()).unwrap(), &opts(&sim)).await.unwrap_err();
    assert_eq!(err.code(), "api-disabled", "{err:?}");
    assert!(err.hint().unwrap().contains("api-enabled"));
    let err = signin(&sim, &f.desktop_app.client_id)
        .finish_developer_token(Secret::new(&f.developer_token))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "api-disabled");
    assert!(sim.requests().iter().all(|r| r.token.as_deref() != Some(f.developer_token.as_str())));
}

#[tokio::test]
async fn a_web_application_used_for_oob_says_to_register_a_desktop_one() {
    let sim = sim_with(|_| {}).await;
    let f = sim.fixtures().clone();
    let s = signin(&sim, &f.web_app.client_id);
    // The server sends the browser to urn://…?error=redirect_uri_mismatch, which it cannot open: the
    // person pastes what the address bar shows.
    let shown = match try_oob_code(&sim, &s.authorize_url().url).await {
        Err(phraseanet_sim::browser::BrowserError::Redirected { location, .. }) => location,
        other => panic!("expected the urn:// redirect, got {other:?}"),
    };
    assert!(shown.contains("redirect_uri_mismatch"), "{shown}");
    let err = s.finish_oob(&shown).await.unwrap_err();
    assert_eq!(err.code(), "not-a-desktop-app");
    assert!(err.hint().unwrap().contains("Desktop application"));
}

#[tokio::test]
async fn the_https_gate_behind_an_untrusted_proxy_names_the_administrators_fix() {
    let sim = sim_with(|o| {
        o.behind = Behind::TlsProxy;
        o.require_https = true;
    })
    .await;
    assert!(sim.url().starts_with("https://"));
    let err = signin(&sim, &sim.fixtures().desktop_app.client_id)
        .finish_oob("0123456789abcdef0123456789abcdef")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "https-not-seen", "{err:?}");
    assert!(err.hint().unwrap().contains("already https"));
}

#[tokio::test]
async fn php_time_limit_and_first_byte_budget_end_a_heavy_call_once() {
    let sim = sim_with(|o| {
        o.dataset = Dataset::Large;
        o.basket_size = 2_000;
        o.php_per_element = Duration::from_millis(1);
        o.php_time_limit = Duration::from_millis(800);
    })
    .await;
    let f = sim.fixtures().clone();
    let id = f.large_basket_id.unwrap();
    let path = format!("/api/v1/baskets/{id}/content/");
    let api =
        Api::with_options(ServerUrl::parse(sim.url()).unwrap(), Secret::new(&f.developer_token), opts(&sim))
            .unwrap();
    let err = api.basket(id).await.unwrap_err();
    assert_eq!(err.code(), "server-time-limit", "{err:?}");
    assert!(err.hint().unwrap().contains("max_execution_time"));
    assert_eq!(sim.requests().iter().filter(|r| r.path == path).count(), 1, "PHP's 500 page is not re-sent");

    // The server computes longer than the client waits for a heavy answer: one request, a timeout.
    sim.clear_requests();
    let impatient = HttpOptions { heavy_first_byte: Duration::from_millis(300), ..opts(&sim) };
    let api =
        Api::with_options(ServerUrl::parse(sim.url()).unwrap(), Secret::new(&f.developer_token), impatient)
            .unwrap();
    let err = api.basket(id).await.unwrap_err();
    assert_eq!(err.code(), "timeout", "{err:?}");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(sim.requests().iter().filter(|r| r.path == path).count(), 1, "a heavy call is never re-sent");
}

#[tokio::test]
async fn search_stays_inside_the_window_of_older_servers() {
    let sim = sim_with(|o| {
        o.dataset = Dataset::Large;
        o.basket_size = 10_050;
        o.server_profile = ServerProfile::V40;
    })
    .await;
    let f = sim.fixtures().clone();
    let api = Api::with_transport(
        ServerUrl::parse(sim.url()).unwrap(),
        Secret::new(&f.developer_token),
        opts(&sim),
        TokenTransport::Param,
    )
    .unwrap();
    let q = SearchQuery { offset_start: 9_950, per_page: 50, ..SearchQuery::new("") };
    let page = api.search(&q).await.unwrap();
    assert!(page.total_results > 10_000, "{}", page.total_results);
    assert_eq!(q.next_page(&page), None, "no next page past 10,000 results");
    let deep = SearchQuery { offset_start: 9_990, per_page: 50, ..q };
    let err = api.search(&deep).await.unwrap_err();
    assert_eq!(err.code(), "deep-page", "{err:?}");
    assert!(err.hint().unwrap().contains("Refine"));
}

#[tokio::test]
async fn media_behind_a_rate_limit_wait_and_all_arrive() {
    let sim = sim_with(|o| {
        o.behind = Behind::RateLimit;
        o.rate_limit_per_sec = 10;
    })
    .await;
    let f = sim.fixtures().clone();
    let api =
        Api::with_options(ServerUrl::parse(sim.url()).unwrap(), Secret::new(&f.developer_token), opts(&sim))
            .unwrap();
    let found = api.search(&SearchQuery { per_page: 60, ..SearchQuery::new("") }).await.unwrap();
    let cache = tempfile::tempdir().unwrap();
    let media = Media::new(api.clone(), MediaOptions::in_dir(cache.path())).unwrap();
    let sources: Vec<_> = found.results.records.iter().filter_map(MediaSource::thumbnail).take(40).collect();
    assert!(sources.len() >= 30, "{}", sources.len());
    let got = futures_util::future::join_all(sources.iter().map(|s| media.fetch(s))).await;
    assert!(got.iter().all(|g| g.is_ok()), "{:?}", got.iter().find(|g| g.is_err()));
    let limited = sim.requests().iter().filter(|r| r.status == 429).count();
    assert!(limited > 0, "the double rate-limited some requests");
}

#[tokio::test]
async fn a_cut_off_or_stalled_answer_says_so_within_its_budget() {
    let sim = sim_with(|_| {}).await;
    let f = sim.fixtures().clone();
    let quick = HttpOptions { read_timeout: Duration::from_millis(300), retries: 1, ..opts(&sim) };
    let api = Api::with_options(ServerUrl::parse(sim.url()).unwrap(), Secret::new(&f.developer_token), quick)
        .unwrap();
    sim.set_faults(phraseanet_sim::Faults { truncate_rate: 1.0, ..Default::default() });
    let err = api.baskets().await.unwrap_err();
    assert_eq!(err.code(), "cut-off", "{err:?}");
    assert!(err.message().contains("cut off"));
    // Bytes flow, then a pause longer than the silence budget.
    sim.set_faults(phraseanet_sim::Faults { slow_body: Some(Duration::from_secs(2)), ..Default::default() });
    let started = std::time::Instant::now();
    let err = api.baskets().await.unwrap_err();
    assert_eq!(err.code(), "stalled", "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
}
