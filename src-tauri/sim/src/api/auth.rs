//! Resource authentication of `/api/v1` (api §3): token errors are not envelopes. The transport
//! rules per server version are in [`crate::profile`].

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

use crate::http::www_authenticate;
use crate::model::User;
use crate::profile::{Presented, ServerProfile};
use crate::state::State;

use super::Req;

/// The session cookie of the web pages (`/api/oauthv2/authorize`).
pub const SESSION_COOKIE: &str = "PHPSESSID";

pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == SESSION_COOKIE && !v.is_empty()).then(|| v.to_string())
        })
}

/// Resolves the caller of an API request, or the exact error response.
pub fn authenticate<'a>(state: &'a State, req: &Req) -> Result<&'a User, Response> {
    // api §3 session-cookie caveat: a logged-in web session wins, and the API closes it.
    if let Some(sid) = session_id(&req.headers) {
        let mut auth = state.auth.lock().unwrap();
        if let Some(user_id) = auth.sessions.remove(&sid) {
            return state
                .data
                .user(user_id)
                .ok_or_else(|| www_authenticate(StatusCode::UNAUTHORIZED, "invalid_token"));
        }
    }
    // Which transports count is the profile's business (docs/real-servers.md, "Token transport" and
    // "Versions").
    let in_query = req.query.iter().find(|(k, _)| k == "oauth_token").map(|(_, v)| v.as_str());
    let in_form = req.form.iter().find(|(k, _)| k == "oauth_token").map(|(_, v)| v.as_str());
    let presented = Presented::new(&req.headers, in_query, in_form);
    let token = match state.config.profile.token(&presented)? {
        Some(t) => t,
        None => return Err(ServerProfile::missing_token()),
    };
    let user_id = state.auth.lock().unwrap().token_user(&token);
    match user_id.and_then(|id| state.data.user(id)) {
        Some(user) => Ok(user),
        None => Err(www_authenticate(StatusCode::UNAUTHORIZED, "invalid_token")),
    }
}

/// Media and permalink routes (`OAuthListener(['exit_not_present' => false])`, `Permalink.php:73`,
/// docs/real-servers.md, "Media"): no token passes, a present one is verified (401 `invalid_token` when
/// unknown or revoked), and the profile's early errors still apply (400 JSON for any header on 4.0/3.8).
pub fn verify_present(state: &State, headers: &HeaderMap, query_token: Option<&str>) -> Result<(), Response> {
    let presented = Presented::new(headers, query_token, None);
    match state.config.profile.token(&presented)? {
        None => Ok(()),
        Some(t) if state.auth.lock().unwrap().token_user(&t).is_some() => Ok(()),
        Some(_) => Err(www_authenticate(StatusCode::UNAUTHORIZED, "invalid_token")),
    }
}
