//! API v1 transport rules (api §1, §3, §4; checklist §9.1 and §9.4-§9.7).

use crate::common::*;
use phraseanet_sim::{Behind, ServerProfile, Sim, SimOptions, TokenSeen};
use reqwest::header::HeaderMap;
use serde_json::Value;

fn assert_envelope(v: &Value, method_path: &str, code: u16) {
    let meta = &v["meta"];
    assert_eq!(meta["api_version"], "2.0.0");
    assert_eq!(meta["request"], method_path);
    assert_eq!(meta["http_code"], code);
    assert_eq!(meta["charset"], "UTF-8");
    let t = meta["response_time"].as_str().unwrap();
    assert_eq!(t.len(), 25, "{t}");
    assert!(t.as_bytes()[10] == b'T' && (t.ends_with("+01:00") || t.ends_with("+02:00")), "{t}");
    assert!(v["response"].is_object());
}

/// Sends `method path` (with the developer token when `with_token`), checks the status and the envelope
/// (whose `request` leaves out the query string), and returns the headers and the JSON.
async fn envelope(sim: &Sim, method: &str, path: &str, with_token: bool, code: u16) -> (HeaderMap, Value) {
    let mut rb = http().request(method.parse().unwrap(), format!("{}{path}", sim.url()));
    if with_token {
        rb = rb.header("Authorization", format!("OAuth {}", sim.fixtures().developer_token));
    }
    let res = rb.send().await.unwrap();
    assert_eq!(res.status().as_u16(), code, "{method} {path}");
    let headers = res.headers().clone();
    let v: Value = res.json().await.unwrap();
    let request = path.split('?').next().unwrap_or(path);
    assert_envelope(&v, &format!("{method} {request}"), code);
    (headers, v)
}

#[tokio::test]
async fn discovery_needs_no_token() {
    let sim = sim().await;
    let (headers, v) = envelope(&sim, "GET", "/api/", false, 200).await;
    assert_eq!(headers["content-type"], "application/json");
    let r = &v["response"];
    assert_eq!(r["type"], "phraseanet");
    let v1 = &r["versions"]["1"];
    assert_eq!(v1["number"], "2.0.0");
    assert_eq!(v1["uri"], "/api/v1/");
    assert_eq!(v1["authenticationProtocol"], "OAuth2");
    assert_eq!(v1["authenticationEndPoints"]["authorization_token"], "/api/oauthv2/authorize");
    assert_eq!(v1["authenticationEndPoints"]["access_token"], "/api/oauthv2/token");
    assert_eq!(r["versions"]["3"]["number"], "3.0.0");
}

#[tokio::test]
async fn token_transport_rules() {
    let sim = sim().await;
    let token = sim.fixtures().developer_token.clone();
    let me = format!("{}/api/v1/me/", sim.url());
    // Accepted: header, query, form body.
    let ok = [
        http().get(&me).header("Authorization", format!("OAuth {token}")),
        http().get(&me).header("Authorization", format!("  OAuth {token}  ")),
        http().get(format!("{me}?oauth_token={token}")),
        http().post(format!("{}/api/v1/search/", sim.url())).form(&[("oauth_token", token.as_str())]),
    ];
    for rb in ok {
        assert_eq!(rb.send().await.unwrap().status().as_u16(), 200);
    }
    // 400 JSON invalid_request: Bearer, Basic, lowercase scheme, header + param, query + body.
    let bad = [
        http().get(&me).header("Authorization", format!("Bearer {token}")),
        http().get(&me).header("Authorization", format!("oauth {token}")),
        http().get(&me).basic_auth("a", Some("b")),
        http().get(format!("{me}?oauth_token={token}")).header("Authorization", format!("OAuth {token}")),
        http()
            .post(format!("{}/api/v1/search/?oauth_token={token}", sim.url()))
            .form(&[("oauth_token", token.as_str())]),
    ];
    for rb in bad {
        let res = rb.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 400);
        assert_eq!(res.headers()["content-type"], "application/json");
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert_eq!(res.text().await.unwrap(), r#"{"error":"invalid_request"}"#);
    }
    // Missing: 400, empty body, WWW-Authenticate invalid_request.
    let res = http().get(&me).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    assert_eq!(res.headers()["www-authenticate"], "OAuth realm='Service', error='invalid_request'");
    assert!(res.text().await.unwrap().is_empty());
    // Unknown: 401, empty body, WWW-Authenticate invalid_token.
    for t in ["0123456789abcdef0123456789abcdef", ""] {
        let res = http().get(format!("{me}?oauth_token={t}")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 401);
        assert_eq!(res.headers()["www-authenticate"], "OAuth realm='Service', error='invalid_token'");
        assert!(res.text().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn routing_errors_come_before_auth() {
    let sim = sim().await;
    // 404 envelope without a token.
    let (headers, v) = envelope(&sim, "GET", "/api/v1/nothinghere", false, 404).await;
    assert_eq!(headers["x-status-code"], "404");
    assert_eq!(v["meta"]["error_type"], "Not Found");
    assert_eq!(v["meta"]["error_message"], "Requested resource is not found");
    assert_eq!(v["meta"]["error_details"], "No route found for \"GET /api/v1/nothinghere\"");
    // 405 envelope with Allow, without a token.
    for (method, path, allow) in [
        ("POST", "/api/v1/me/", "GET"),
        ("GET", "/api/v1/baskets/add/", "POST"),
        ("DELETE", "/api/v1/baskets/1/content/", "GET"),
    ] {
        let (headers, v) = envelope(&sim, method, path, false, 405).await;
        assert_eq!(headers["allow"], allow);
        assert_eq!(v["meta"]["error_type"], "Method Not Allowed");
    }
    // 301 on GET without the trailing slash, query kept; POST without slash: 404.
    let res = http().get(format!("{}/api/v1/baskets/12/content?x=1&y=2", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 301);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("{}/api/v1/baskets/12/content/?x=1&y=2", sim.url())
    );
    let res = http().post(format!("{}/api/v1/baskets/add", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    // Accept matching nothing: 406 envelope.
    let res =
        http().get(format!("{}/api/v1/me/", sim.url())).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 406);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["meta"]["error_type"], "Unacceptable");
}

#[tokio::test]
async fn error_envelopes_for_ids_rights_and_missing_objects() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    for path in [
        "/api/v1/records/abc/1/",
        "/api/v1/records/1/x1/embed/",
        "/api/v1/baskets/abc/content/",
        "/api/v1/stories/1/-3/",
        "/api/v1/databoxes/x/collections/",
        "/api/v1/feeds/x/content/",
    ] {
        let (headers, v) = envelope(&sim, "GET", path, true, 400).await;
        assert_eq!(headers["x-status-code"], "400");
        assert_eq!(v["meta"]["error_type"], "Bad Request");
    }
    // Non-numeric id without a token: auth first.
    let res = http().get(format!("{}/api/v1/records/abc/1/", sim.url())).send().await.unwrap();
    assert!(res.headers().contains_key("www-authenticate"));

    // 401 envelope for a record outside the user's collections; the token still works.
    let r = f.inaccessible_record;
    let path = format!("/api/v1/records/{}/{}/?subdef_url_ttl=5", r.databox_id, r.record_id);
    let (headers, v) = envelope(&sim, "GET", &path, true, 401).await;
    assert!(!headers.contains_key("www-authenticate"));
    assert!(!headers.contains_key("x-status-code"));
    assert_eq!(v["meta"]["error_type"], "Unauthorized");
    assert_eq!(v["meta"]["error_message"], "The OAuth token was provided but was invalid.");
    assert_eq!(v["meta"]["error_details"], "You are not authorized");
    assert_eq!(v["response"], serde_json::json!({}));

    // 403/404 for baskets, 404 for records and databoxes.
    let (status, v) = api(&sim, &format!("/api/v1/baskets/{}/content/", f.forbidden_basket_id)).await;
    assert_eq!(status, 403);
    assert_eq!(v["meta"]["error_details"], "Current user does not have access to the basket");
    let (status, v) =
        post_api(&sim, &format!("/api/v1/baskets/{}/setname/", f.vote_basket_id), &[("name", "x")]).await;
    assert_eq!(status, 403);
    assert_eq!(v["meta"]["error_details"], "Only basket owner can modify the basket");
    let (status, v) = api(&sim, "/api/v1/baskets/999999/content/").await;
    assert_eq!(status, 404);
    assert_eq!(v["meta"]["error_details"], "Basket 999999 not found.");
    let (status, v) = api(&sim, "/api/v1/records/1/999999/").await;
    assert_eq!(status, 404);
    assert_eq!(v["meta"]["error_details"], "Record 999999 on database 1 not found ");
    let (status, v) = api(&sim, "/api/v1/records/99/1/").await;
    assert_eq!(status, 404);
    assert_eq!(v["meta"]["error_details"], "Databox `99` not found");
}

#[tokio::test]
async fn jsonp_forces_200_and_json_is_escaped_like_symfony() {
    let sim = sim().await;
    let token = sim.fixtures().developer_token.clone();
    let res = http()
        .get(format!("{}/api/v1/baskets/999999/content/?callback=cb.x&oauth_token={token}", sim.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "text/javascript");
    let body = res.text().await.unwrap();
    assert!(body.starts_with("/**/cb.x(") && body.ends_with(");"), "{body}");
    let v: Value = serde_json::from_str(&body["/**/cb.x(".len()..body.len() - 2]).unwrap();
    assert_eq!(v["meta"]["http_code"], 404);
    // Raw JSON: `/` escaped, non-ASCII as \u escapes.
    let res = http().get(format!("{}/api/v1/me/?oauth_token={token}", sim.url())).send().await.unwrap();
    assert!(res.headers().contains_key("server-timing"));
    let raw = res.text().await.unwrap();
    assert!(raw.contains(r#""request":"GET \/api\/v1\/me\/""#), "{raw}");
    assert!(raw.is_ascii());
}

#[tokio::test]
async fn a_web_session_cookie_wins_and_is_closed_by_the_api() {
    use phraseanet_sim::browser::Browser;
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let browser = Browser::new();
    browser
        .sign_in_and_get_code(&authorize_url(&sim, &f.desktop_app.client_id, OOB, ""), &f.login, &f.password)
        .await
        .unwrap();
    // The browser's jar holds the session: the API acts as that user without a token, once (api §3).
    let res = browser.client().get(format!("{}/api/v1/me/", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let res = browser.client().get(format!("{}/api/v1/me/", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    // The session is gone: authorize shows the login form again.
    let page = browser.open(&authorize_url(&sim, &f.desktop_app.client_id, OOB, "")).await.unwrap();
    assert!(page.is_login_page());
}

#[tokio::test]
async fn yaml_when_asked_without_json() {
    let sim = sim().await;
    let token = sim.fixtures().developer_token.clone();
    let res = http()
        .get(format!("{}/api/v1/me/?oauth_token={token}", sim.url()))
        .header("Accept", "application/yaml")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/yaml");
    let text = res.text().await.unwrap();
    assert!(text.starts_with("\"meta\":\n    \"api_version\": \"2.0.0\"\n"), "{text}");
    assert!(text.contains(&format!("\"login\": \"{}\"", sim.fixtures().login)));
    // Empty response: `[]`. With application/json among the types: JSON.
    let res = http()
        .get(format!(
            "{}/api/v1/feeds/{}/content/?oauth_token={token}",
            sim.url(),
            sim.fixtures().inaccessible_feed_id
        ))
        .header("Accept", "text/yaml")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("\"response\": []"));
    let res = http()
        .get(format!("{}/api/v1/me/?oauth_token={token}", sim.url()))
        .header("Accept", "application/yaml, application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/json");
}

/// What a token request got: 200, the library's 400 JSON, or the empty 400 + `WWW-Authenticate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    Ok,
    Json400,
    Www400,
}
use Auth::*;

async fn auth_outcome(rb: reqwest::RequestBuilder) -> Auth {
    let res = rb.send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.text().await.unwrap();
    match status {
        200 => Ok,
        400 if body == r#"{"error":"invalid_request"}"# => {
            assert_eq!(headers["content-type"], "application/json");
            assert!(!headers.contains_key("www-authenticate"));
            Json400
        }
        400 if body.is_empty() => {
            assert_eq!(headers["www-authenticate"], "OAuth realm='Service', error='invalid_request'");
            Www400
        }
        _ => panic!("unexpected {status} {body}"),
    }
}

/// The outcomes for: header, query, form, header + query, none.
async fn transports(sim: &Sim) -> [Auth; 5] {
    let token = sim.fixtures().developer_token.clone();
    let me = format!("{}/api/v1/me/", sim.url());
    let header = format!("OAuth {token}");
    let search = format!("{}/api/v1/search/", sim.url());
    [
        auth_outcome(http().get(&me).header("Authorization", &header)).await,
        auth_outcome(http().get(format!("{me}?oauth_token={token}"))).await,
        auth_outcome(http().post(&search).form(&[("oauth_token", token.as_str())])).await,
        auth_outcome(http().get(format!("{me}?oauth_token={token}")).header("Authorization", &header)).await,
        auth_outcome(http().get(&me)).await,
    ]
}

#[tokio::test]
async fn each_profile_answers_token_transports_like_its_server() {
    // docs/real-servers.md, "Token transport" and "Versions": header, query, form, header + query, none.
    let cases = [
        (ServerProfile::Current41, [Ok, Ok, Ok, Json400, Www400]),
        (ServerProfile::HeaderOnly41, [Ok, Www400, Www400, Ok, Www400]),
        (ServerProfile::V410, [Www400, Ok, Ok, Www400, Www400]),
        (ServerProfile::V40, [Json400, Ok, Ok, Json400, Www400]),
        (ServerProfile::V38, [Json400, Ok, Ok, Json400, Www400]),
    ];
    for (profile, expected) in cases {
        let sim = sim_profile(profile).await;
        assert_eq!(transports(&sim).await, expected, "{profile:?}");
        // A Bearer header: the 1.1.0 parser's 400 JSON, or what each profile does with any header.
        let bearer = http()
            .get(format!("{}/api/v1/me/", sim.url()))
            .header("Authorization", format!("Bearer {}", sim.fixtures().developer_token));
        let want = if profile == ServerProfile::V410 { Www400 } else { Json400 };
        assert_eq!(auth_outcome(bearer).await, want, "{profile:?}");
    }
    // Discovery lists the versions each release has (v2 from 4.0, v3 from 4.1.1).
    for (profile, versions) in [
        (ServerProfile::Current41, vec!["1", "2", "3"]),
        (ServerProfile::V410, vec!["1", "2"]),
        (ServerProfile::V38, vec!["1"]),
    ] {
        let sim = sim_profile(profile).await;
        let (_, v) = envelope(&sim, "GET", "/api/", false, 200).await;
        let keys: Vec<&str> =
            v["response"]["versions"].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, versions, "{profile:?}");
    }
}

#[tokio::test]
async fn apache_fpm_strips_the_header_before_php() {
    // docs/real-servers.md, "Token transport": the header never arrives, so it looks missing; the parameter
    // still works (AUTO).
    let sim = sim_opts(SimOptions { behind: Behind::ApacheFpm, ..Default::default() }).await;
    assert_eq!(transports(&sim).await, [Www400, Ok, Ok, Ok, Www400]);
    // The log still shows what the client sent.
    let sent = sim.requests().into_iter().find(|r| r.path == "/api/v1/me/").unwrap();
    assert_eq!(sent.transport, [TokenSeen::Header]);
    assert_eq!(sent.status, 400);
    // With header-only on top, no transport can work.
    let sim = sim_opts(SimOptions {
        behind: Behind::ApacheFpm,
        server_profile: ServerProfile::HeaderOnly41,
        ..Default::default()
    })
    .await;
    assert_eq!(transports(&sim).await, [Www400; 5]);
}

#[tokio::test]
async fn api_disabled_keeps_discovery_only() {
    // docs/real-servers.md, "Sign-in": `/api/` answers, the oauth and v1 providers register nothing.
    let sim = sim_opts(SimOptions { api_disabled: true, ..Default::default() }).await;
    envelope(&sim, "GET", "/api/", false, 200).await;
    let (headers, v) = envelope(&sim, "GET", "/api/v1/me/", true, 404).await;
    assert_eq!(headers["x-status-code"], "404");
    assert_eq!(v["meta"]["error_details"], "No route found for \"GET /api/v1/me/\"");
    // No 301 either: the route does not exist.
    let res = http().get(format!("{}/api/v1/me", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
    for res in [
        http().post(format!("{}/api/oauthv2/token", sim.url())).form(&[("grant_type", "password")]),
        http().get(authorize_url(&sim, &sim.fixtures().desktop_app.client_id, OOB, "")),
    ] {
        let res = res.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 404);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    }
}

#[tokio::test]
async fn the_request_log_records_what_clients_sent() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let token = f.developer_token.clone();
    http()
        .get(format!("{}/api/v1/me/?oauth_token={token}&x=1", sim.url()))
        .header("User-Agent", "sim-test/1.0")
        .send()
        .await
        .unwrap();
    http()
        .post(format!("{}/api/v1/search/", sim.url()))
        .header("Authorization", format!("OAuth {token}"))
        .form(&[("oauth_token", token.as_str()), ("query", "dawn")])
        .send()
        .await
        .unwrap();
    token_request(
        &sim,
        &[("grant_type", "password"), ("client_id", &f.desktop_app.client_id), ("client_secret", "s3cret")],
    )
    .await;
    http().get(format!("{}/api/", sim.url())).send().await.unwrap();
    let log = sim.requests();
    assert_eq!(log.len(), 4);
    let me = &log[0];
    assert_eq!((me.method.as_str(), me.path.as_str()), ("GET", "/api/v1/me/"));
    assert_eq!(me.query_keys, ["oauth_token", "x"]);
    assert_eq!(me.transport, [TokenSeen::Query]);
    assert_eq!(me.token.as_deref(), Some(token.as_str()));
    assert_eq!(me.user_agent.as_deref(), Some("sim-test/1.0"));
    assert_eq!(me.status, 200);
    let search = &log[1];
    assert_eq!(search.transport, [TokenSeen::Header, TokenSeen::Form]);
    assert!(search.query_keys.is_empty());
    assert_eq!(search.status, 400, "header + parameter");
    let tok = &log[2];
    assert_eq!(tok.path, "/api/oauthv2/token");
    assert_eq!(tok.client_secret.as_deref(), Some("s3cret"));
    assert!(tok.transport.is_empty() && tok.token.is_none());
    assert_eq!((log[3].path.as_str(), log[3].status), ("/api/", 200));
    assert!(log.iter().all(|r| r.path != "/api/oauthv2/token" || r.client_secret.is_some()));
    sim.clear_requests();
    assert!(sim.requests().is_empty());
}
