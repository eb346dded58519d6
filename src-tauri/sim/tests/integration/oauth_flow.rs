//! OAuth2 authorize flow (api §2.2, §9.2): the full OOB flow with a cookie jar, consent, revocation,
//! the web flow, every authorize error shape, response types, the mobile template.

use crate::common::*;
use phraseanet_sim::browser::{Browser, BrowserError};

#[tokio::test]
async fn full_oob_flow_login_code_token_me() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let url = authorize_url(&sim, &f.desktop_app.client_id, OOB, "&state=s1");
    assert_eq!(
        sim.authorize_url(&f.desktop_app.client_id, phraseanet_sim::OOB_REDIRECT_URI, Some("s1")),
        url
    );
    let browser = Browser::new();

    // Step A: login form, hidden params, no action attribute.
    let page = browser.open(&url).await.unwrap();
    assert_eq!(page.status, 200);
    assert!(page.is_login_page());
    assert!(!page.has_login_error());
    assert!(!page.body.contains("action="), "the login form posts back to the current URL");
    let css = http().get(format!("{}/assets/oauth/css/oauth.css", sim.url())).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=UTF-8");
    let form = page.login_form().unwrap();
    assert_eq!(form.method, "post");
    assert_eq!(form.field("client_id"), Some(f.desktop_app.client_id.as_str()));
    assert_eq!(form.field("redirect_uri"), Some(OOB));
    assert_eq!(form.field("response_type"), Some("code"));
    assert_eq!(form.field("state"), Some("s1"));
    assert!(form.field("login").is_some() && form.field("password").is_some());
    assert!(form.buttons.iter().any(|(_, name, _)| name.as_deref() == Some("action_login")));

    // Wrong password: 302 back to the authorize URL with error=login, then the form with the alert.
    let res = http()
        .post(&url)
        .form(&[
            ("login", f.login.as_str()),
            ("password", "wrong"),
            ("action_login", ""),
            ("client_id", &f.desktop_app.client_id),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/api/oauthv2/authorize?error=login&response_type=code&client_id="),
        "{location}"
    );
    assert!(location.contains("&state=s1"));
    match browser.log_in(&page, &f.login, "not the password").await {
        Err(BrowserError::LoginRejected(p)) => {
            assert!(p.has_login_error());
            assert!(p.body.contains("Login / Password error"));
        }
        other => panic!("expected LoginRejected, got {other:?}"),
    }

    // Good password: the OOB page.
    let oob = browser.log_in(&page, &f.login, &f.password).await.unwrap();
    assert_eq!(oob.title().as_deref(), Some("Success"));
    assert!(oob.body.contains("<h1 id=\"namePhr\">Phraseanet</h1>"));
    assert!(oob.body.contains(&format!("Hi <b>{}</b>", f.display_name)));
    let code = oob.authorize_token().unwrap();
    assert!(is_code(&code), "{code}");
    assert!(oob.body.contains(&format!("name=\"authorize_token\" value=\"{code}\" size=\"32\"")));

    // Token, then /me/.
    let (status, body) = exchange(&sim, &code).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 2);
    assert!(v["scope"].is_null());
    let token = v["access_token"].as_str().unwrap();
    assert!(is_code(token));
    let (status, me) = api_as(&sim, token, "/api/v1/me/").await;
    assert_eq!(status, 200);
    assert_eq!(me["response"]["user"]["login"], f.login.as_str());
    assert_eq!(me["response"]["user"]["id"], f.user_id);

    // The session cookie: the next authorize goes straight to a new code.
    let again = browser.open(&url).await.unwrap();
    let second = again.authorize_token().expect("straight to the OOB page");
    assert!(is_code(&second) && second != code);
    // sign_in_and_get_code works with or without a session.
    let third = browser.sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
    assert!(is_code(&third));
    let fresh = Browser::new().sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
    assert!(is_code(&fresh));
}

#[tokio::test]
async fn consent_page_for_a_revoked_app_deny_then_accept() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let url = authorize_url(&sim, &f.revoked_app.client_id, OOB, "");
    let browser = Browser::new();
    let page = browser.sign_in(&url, &f.login, &f.password).await.unwrap();
    assert!(page.is_consent_page(), "{}", page.body);
    assert!(page.consent_form(false).is_some());
    assert!(page.body.contains("id=\"button_access\"") && page.body.contains("id=\"button_deny\""));
    match browser.sign_in_and_get_code(&url, &f.login, &f.password).await {
        Err(BrowserError::ConsentRequired(_)) => {}
        other => panic!("expected ConsentRequired, got {other:?}"),
    }
    let denied = browser.deny_consent(&page).await.unwrap();
    assert_eq!(denied.title().as_deref(), Some("Fail"));
    assert!(denied.body.contains("access_denied"));
    assert_eq!(denied.authorize_token().as_deref(), Some(""));
    match phraseanet_sim::browser::code_of(denied) {
        Err(BrowserError::OobError { error, .. }) => assert_eq!(error, "access_denied"),
        other => panic!("expected OobError, got {other:?}"),
    }
    // Still revoked: consent again; accept gives a code that works.
    let page = browser.open(&url).await.unwrap();
    assert!(page.is_consent_page());
    let ok = browser.accept_consent(&page).await.unwrap();
    let code = ok.authorize_token().unwrap();
    assert!(is_code(&code));
    // Accepted: no consent page any more.
    let code2 = browser.sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
    assert!(is_code(&code2));
    let (status, body) = token_request(
        &sim,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", OOB),
            ("client_id", &f.revoked_app.client_id),
        ],
    )
    .await
    .into_status_body();
    assert_eq!(status, 200, "{body}");
}

trait StatusBody {
    fn into_status_body(self) -> (u16, String);
}
impl StatusBody for (u16, reqwest::header::HeaderMap, String) {
    fn into_status_body(self) -> (u16, String) {
        (self.0, self.2)
    }
}

#[tokio::test]
async fn revoking_the_app_kills_tokens_and_brings_the_consent_page() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let url = authorize_url(&sim, &f.desktop_app.client_id, OOB, "");
    let browser = Browser::new();
    let code = browser.sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
    let (_, body) = exchange(&sim, &code).await;
    let token: serde_json::Value = serde_json::from_str(&body).unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    assert_eq!(api_as(&sim, &token, "/api/v1/me/").await.0, 200);

    assert!(sim.revoke_app(&f.desktop_app.client_id));
    assert!(!sim.revoke_app("no-such-client"));
    for t in [&token, &f.developer_token] {
        let res = http()
            .get(format!("{}/api/v1/me/", sim.url()))
            .header("Authorization", format!("OAuth {t}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
        assert_eq!(res.headers()["www-authenticate"], "OAuth realm='Service', error='invalid_token'");
        assert!(res.text().await.unwrap().is_empty());
    }
    let page = browser.open(&url).await.unwrap();
    assert!(page.is_consent_page());
    let code = browser.sign_in_consent_and_get_code(&url, &f.login, &f.password).await.unwrap();
    assert!(is_code(&code));
    // Re-authorized: the old token works again (the account is no longer revoked).
    assert_eq!(api_as(&sim, &token, "/api/v1/me/").await.0, 200);
}

#[tokio::test]
async fn revoke_token_and_issue_token() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let token = sim.issue_token(&f.desktop_app.client_id).unwrap();
    assert!(sim.issue_token("unknown").is_none());
    assert_eq!(api_as(&sim, &token, "/api/v1/me/").await.0, 200);
    assert!(sim.revoke_token(&token));
    assert!(!sim.revoke_token(&token));
    let res = http().get(format!("{}/api/v1/me/?oauth_token={token}", sim.url())).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(api_as(&sim, &f.developer_token, "/api/v1/me/").await.0, 200);
}

async fn get(url: &str) -> reqwest::Response {
    http().get(url).send().await.unwrap()
}

#[tokio::test]
async fn authorize_errors_in_their_real_shapes() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let base = format!("{}/api/oauthv2/authorize", sim.url());

    // 1. malformed client_id, no redirect_uri: 302 without Location, JSON body.
    let res = get(&format!("{base}?response_type=code&client_id=a.b")).await;
    assert_eq!(res.status().as_u16(), 302);
    assert!(res.headers().get("location").is_none());
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.text().await.unwrap(), r#"{"error":"invalid_client"}"#);
    let res = get(&format!("{base}?response_type=code")).await;
    assert_eq!(res.status().as_u16(), 302);
    // ... with a redirect_uri: redirected there, error first then state.
    let res =
        get(&format!("{base}?response_type=code&client_id=x&redirect_uri=http://127.0.0.1:9/cb&state=st"))
            .await;
    assert_eq!(res.headers()["location"], "http://127.0.0.1:9/cb?error=invalid_client&state=st");

    // 2. unknown client: 400 HTML page.
    let res =
        get(&format!("{base}?response_type=code&client_id=abcdefabcdefabcdef&redirect_uri={OOB}")).await;
    assert_eq!(res.status().as_u16(), 400);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));

    // 3. redirect_uri not prefixed by the stored one: redirect to the supplied URI.
    let res = get(&authorize_url(&sim, &f.desktop_app.client_id, "http://evil.example/cb", "&state=q")).await;
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(res.headers()["location"], "http://evil.example/cb?error=redirect_uri_mismatch&state=q");

    // 4. bad response_type (the documented code_and_token is rejected): OOB error carrier urn://.
    for rt in ["code_and_token", ""] {
        let url = format!(
            "{base}?response_type={rt}&client_id={}&redirect_uri={OOB}&state=z",
            f.desktop_app.client_id
        );
        let res = get(&url).await;
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(res.headers()["location"], "urn://ietf:wg:oauth:2.0:oob?error=invalid_request&state=z");
    }
    // 5. non-empty scope.
    let res = get(&authorize_url(&sim, &f.desktop_app.client_id, OOB, "&scope=read")).await;
    assert_eq!(res.headers()["location"], "urn://ietf:wg:oauth:2.0:oob?error=invalid_scope");
    // The stored redirect URI is used when none is given.
    let res = get(&format!("{base}?response_type=code&client_id={}&scope=x", f.desktop_app.client_id)).await;
    assert_eq!(res.headers()["location"], "urn://ietf:wg:oauth:2.0:oob?error=invalid_scope");
    // The browser reports such redirects.
    match Browser::new()
        .sign_in_and_get_code(
            &format!("{base}?response_type=bad&client_id={}", f.desktop_app.client_id),
            "a",
            "b",
        )
        .await
    {
        Err(BrowserError::Redirected { location, page }) => {
            assert!(location.starts_with("urn://"));
            assert_eq!(page.location_param("error").as_deref(), Some("invalid_request"));
        }
        other => panic!("expected Redirected, got {other:?}"),
    }
    // Accept that matches nothing: 406 (api §1).
    let res = http().get(format!("{base}?client_id=x")).header("Accept", "text/html").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 406);
}

#[tokio::test]
async fn oob_response_types_token_and_code_and_token() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let browser = Browser::new();
    let base = format!(
        "{}/api/oauthv2/authorize?client_id={}&redirect_uri={OOB}",
        sim.url(),
        f.desktop_app.client_id
    );
    let page = browser.sign_in(&format!("{base}&response_type=token"), &f.login, &f.password).await.unwrap();
    assert_eq!(page.title().as_deref(), Some("Fail"));
    assert!(page.body.contains("unsupported_response_type"));
    assert_eq!(page.authorize_token().as_deref(), Some(""));
    let page = browser.open(&format!("{base}&response_type=code-and-token")).await.unwrap();
    assert_eq!(page.title().as_deref(), Some("Success"));
    assert_eq!(page.authorize_token().as_deref(), Some(""));
}

#[tokio::test]
async fn web_redirect_flow_with_loopback_prefix_match() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let callback = "http://127.0.0.1:53124/callback";
    let url = authorize_url(&sim, &f.web_app.client_id, callback, "&state=web+state");
    let browser = Browser::new();
    let page = browser.sign_in(&url, &f.login, &f.password).await.unwrap();
    let location = page.location.clone().expect("stopped at the callback redirect");
    assert!(location.starts_with("http://127.0.0.1:53124/callback?state=web+state&code="), "{location}");
    assert_eq!(page.location_param("state").as_deref(), Some("web state"));
    let code = page.location_param("code").unwrap();
    assert!(is_code(&code));
    match phraseanet_sim::browser::code_of(page) {
        Err(BrowserError::Redirected { .. }) => {}
        other => panic!("expected Redirected, got {other:?}"),
    }
    // Exchange with Basic credentials and the same redirect URI.
    let res = http()
        .post(format!("{}/api/oauthv2/token", sim.url()))
        .basic_auth(&f.web_app.client_id, Some(&f.web_app.client_secret))
        .form(&[("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", callback)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let v: serde_json::Value = res.json().await.unwrap();
    assert_eq!(api_as(&sim, v["access_token"].as_str().unwrap(), "/api/v1/me/").await.0, 200);
    // Wrong prefix on the web app.
    let res = get(&authorize_url(&sim, &f.web_app.client_id, "https://127.0.0.1/cb", "")).await;
    assert!(res.headers()["location"].to_str().unwrap().contains("error=redirect_uri_mismatch"));
}

#[tokio::test]
async fn mobile_user_agents_get_the_template_without_the_code() {
    let sim = sim().await;
    let f = sim.fixtures().clone();
    let url = authorize_url(&sim, &f.desktop_app.client_id, OOB, "");
    let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
    let browser = Browser::with_user_agent(iphone);
    let page = browser.sign_in(&url, &f.login, &f.password).await.unwrap();
    assert_eq!(page.title().as_deref(), Some("Success"));
    assert!(page.authorize_token().is_none());
    assert!(page.body.contains(r#"name="access_token" value="""#));
    match browser.sign_in_and_get_code(&url, &f.login, &f.password).await {
        Err(BrowserError::Unexpected(_)) => {}
        other => panic!("expected Unexpected, got {other:?}"),
    }
}

#[tokio::test]
async fn the_browser_signs_in_over_tls_and_behind_the_tls_proxy() {
    use phraseanet_sim::browser::Browser;
    use phraseanet_sim::{Behind, SimOptions};
    for options in [
        SimOptions { tls: true, ..Default::default() },
        SimOptions { behind: Behind::TlsProxy, ..Default::default() },
    ] {
        let sim = phraseanet_sim::Sim::start(options).await.unwrap();
        let f = sim.fixtures().clone();
        let url = authorize_url(&sim, &f.desktop_app.client_id, OOB, "");
        let browser = Browser::for_sim(&sim);
        assert!(matches!(
            browser.sign_in_and_get_code(&url, &f.login, "wrong").await,
            Err(phraseanet_sim::browser::BrowserError::LoginRejected(_))
        ));
        let code = browser.sign_in_and_get_code(&url, &f.login, &f.password).await.unwrap();
        assert!(is_code(&code));
        let client = reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(sim.ca_pem().unwrap().as_bytes()).unwrap())
            .build()
            .unwrap();
        let app = &f.desktop_app;
        let res = client
            .post(format!("{}/api/oauthv2/token", sim.url()))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", OOB),
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.text().await.unwrap().starts_with("{\"access_token\":"));
    }
}
