//! `GET|POST /api/oauthv2/authorize` (api §2.2): validation order, login, consent, OOB page, redirects.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::pages::{self, Hidden};
use super::{html_error, starts_with_ci};
use crate::api::auth::{session_id, SESSION_COOKIE};
use crate::api::Req;
use crate::model::OOB_URI;
use crate::state::{Code, Shared};

const RESPONSE_TYPES: &[&str] = &["code", "token", "code-and-token"];

/// O `OAUTH2_CLIENT_ID_REGEXP`: `/^[a-z0-9-_]{3,32}$/i`.
fn valid_client_id(id: &str) -> bool {
    (3..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// O `buildUri`. api §2.2 quirk: `urn:ietf:...` comes back as `urn://ietf:...`.
fn build_uri(uri: &str, query: &[(&str, &str)], fragment: &[(&str, &str)]) -> String {
    let mut out = match uri.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("urn:") && !uri[4..].starts_with("//") => {
            format!("urn://{}", &uri[4..])
        }
        _ => uri.to_string(),
    };
    if !query.is_empty() {
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(&form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish());
    }
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(&form_urlencoded::Serializer::new(String::new()).extend_pairs(fragment).finish());
    }
    out
}

fn found(location: &str) -> Response {
    let mut res = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Error redirect: `error` first, then `state` (api §2.2).
fn error_redirect(uri: &str, error: &str, state: Option<&str>) -> Response {
    let mut q = vec![("error", error)];
    if let Some(s) = state {
        q.push(("state", s));
    }
    found(&build_uri(uri, &q, &[]))
}

pub async fn authorize(State(state): State<Shared>, req: Req) -> Response {
    let param = |name: &str| req.get(name).filter(|v| !v.is_empty());
    let client_id = param("client_id").unwrap_or("");
    let given_redirect = param("redirect_uri");
    let oauth_state = param("state");
    // 1. client_id missing or malformed.
    if !valid_client_id(client_id) {
        if let Some(uri) = given_redirect {
            return error_redirect(uri, "invalid_client", oauth_state);
        }
        let mut res = super::json(StatusCode::FOUND, r#"{"error":"invalid_client"}"#.into());
        res.headers_mut().remove(header::CACHE_CONTROL);
        return res;
    }
    // 2. unknown client: HTML error page.
    let Some(app) = state.data.app_by_client_id(client_id) else {
        return html_error(StatusCode::BAD_REQUEST);
    };
    // 3. redirect URI must start with the stored one.
    let redirect_uri = match given_redirect {
        Some(uri) if !starts_with_ci(uri, &app.redirect_uri) => {
            return error_redirect(uri, "redirect_uri_mismatch", oauth_state)
        }
        Some(uri) => uri.to_string(),
        None => app.redirect_uri.clone(),
    };
    // 4. response_type.
    let response_type = match param("response_type") {
        Some(rt) if RESPONSE_TYPES.contains(&rt) => rt.to_string(),
        _ => return error_redirect(&redirect_uri, "invalid_request", oauth_state),
    };
    // 5. any non-empty scope.
    if param("scope").is_some() {
        return error_redirect(&redirect_uri, "invalid_scope", oauth_state);
    }
    let hidden_values: Vec<(&'static str, String)> =
        ["response_type", "client_id", "redirect_uri", "state", "scope"]
            .into_iter()
            .map(|k| (k, req.get(k).unwrap_or("").to_string()))
            .collect();
    let hidden = Hidden(&hidden_values);

    // Step A: login.
    let mut new_session = None;
    let session_user =
        session_id(&req.headers).and_then(|sid| state.auth.lock().unwrap().sessions.get(&sid).copied());
    let user = match session_user.and_then(|id| state.data.user(id)) {
        Some(user) => user,
        None if req.get("action_login").is_some() => {
            let login = req.get("login").unwrap_or("");
            let password = req.get("password").unwrap_or("");
            match state.data.user_by_login(login).filter(|u| u.password == password && !login.is_empty()) {
                Some(user) => {
                    let sid = state.random_hex();
                    state.auth.lock().unwrap().sessions.insert(sid.clone(), user.id);
                    new_session = Some(sid);
                    user
                }
                None => {
                    let mut q = vec![
                        ("error", "login"),
                        ("response_type", response_type.as_str()),
                        ("client_id", client_id),
                        ("redirect_uri", redirect_uri.as_str()),
                    ];
                    if let Some(s) = oauth_state {
                        q.push(("state", s));
                    }
                    return found(&build_uri("/api/oauthv2/authorize", &q, &[]));
                }
            }
        }
        None => {
            let error = req.query.iter().any(|(k, v)| k == "error" && v == "login");
            return Html(pages::login(&state.data.title, &app.name, &hidden, error)).into_response();
        }
    };

    // Step B: consent, only for a revoked account (api §2.2, §7.13).
    let authorized = {
        let mut auth = state.auth.lock().unwrap();
        let revoked = auth.accounts.entry((user.id, app.id)).or_insert(false);
        match req.get("action_accept") {
            Some("1") => {
                *revoked = false;
                Some(true)
            }
            Some(_) => {
                *revoked = true;
                Some(false)
            }
            None if *revoked => None,
            None => Some(true),
        }
    };
    let display_name = user.display_name();
    let mut res = match authorized {
        None => Html(pages::consent(&state.data.title, &display_name, &app.name, &hidden)).into_response(),
        Some(granted) => {
            let mobile = req
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(pages::is_mobile);
            let page = Page { display_name: &display_name, mobile };
            finish(&state, app.id, user.id, &redirect_uri, &response_type, oauth_state, granted, page)
        }
    };
    if let Some(sid) = new_session {
        let cookie = format!("{SESSION_COOKIE}={sid}; path=/; HttpOnly; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// How to render the OOB page.
struct Page<'a> {
    display_name: &'a str,
    mobile: bool,
}

/// Step C: OOB page or web redirect (ADP `finishNativeClientAuthorization` / `finishClientAuthorization`).
#[allow(clippy::too_many_arguments)]
fn finish(
    state: &Shared,
    app_id: i64,
    user_id: i64,
    redirect_uri: &str,
    response_type: &str,
    oauth_state: Option<&str>,
    granted: bool,
    page: Page,
) -> Response {
    let new_code = || {
        let code = state.random_hex();
        let stored = Code {
            app_id,
            user_id,
            redirect_uri: redirect_uri.to_string(),
            issued: std::time::Instant::now(),
        };
        state.auth.lock().unwrap().codes.insert(code.clone(), stored);
        code
    };
    let title = &state.data.title;
    let display_name = page.display_name;
    if redirect_uri == OOB_URI {
        if page.mobile {
            // The code is generated but the mobile template cannot show it (api §7.16).
            let error = match (granted, response_type) {
                (false, _) => Some("access_denied"),
                (true, "token") => Some("unsupported_response_type"),
                (true, "code") => {
                    new_code();
                    None
                }
                _ => None,
            };
            return Html(pages::oob_mobile(title, error)).into_response();
        }
        let page = match (granted, response_type) {
            (false, _) => pages::oob(title, display_name, None, Some("access_denied")),
            (true, "code") => pages::oob(title, display_name, Some(&new_code()), None),
            (true, "token") => pages::oob(title, display_name, None, Some("unsupported_response_type")),
            // code-and-token: neither is set, success with an empty code (api §2.2).
            (true, _) => pages::oob(title, display_name, Some(""), None),
        };
        return Html(page).into_response();
    }
    let mut query: Vec<(&str, String)> = Vec::new();
    let mut fragment: Vec<(&str, String)> = Vec::new();
    if let Some(s) = oauth_state {
        query.push(("state", s.to_string()));
    }
    if !granted {
        query.push(("error", "access_denied".into()));
    } else {
        if response_type != "token" {
            query.push(("code", new_code()));
        }
        if response_type != "code" {
            let token = state.random_hex();
            let mut auth = state.auth.lock().unwrap();
            auth.tokens.insert(token.clone(), crate::state::Token { user_id, app_id, expires: None });
            fragment.push(("access_token", token));
        }
        if response_type == "token" {
            // O puts everything in the fragment for implicit grants.
            fragment.append(&mut query);
        }
    }
    let q: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let f: Vec<(&str, &str)> = fragment.iter().map(|(k, v)| (*k, v.as_str())).collect();
    found(&build_uri(redirect_uri, &q, &f))
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds_uris_like_o() {
        assert_eq!(
            super::build_uri(
                "urn:ietf:wg:oauth:2.0:oob",
                &[("error", "invalid_scope"), ("state", "a b")],
                &[]
            ),
            "urn://ietf:wg:oauth:2.0:oob?error=invalid_scope&state=a+b"
        );
        assert_eq!(super::build_uri("http://h/cb?x=1", &[("code", "c")], &[]), "http://h/cb?x=1&code=c");
        assert!(
            super::valid_client_id("abc-_9")
                && !super::valid_client_id("ab")
                && !super::valid_client_id("a.b")
        );
    }
}
