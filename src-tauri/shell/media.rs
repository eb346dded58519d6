//! The `pmedia:` URI scheme: the webview's only way to media. `pmedia://localhost/<profile>/<path>`
//! (`http://pmedia.localhost/…` on Windows) is answered by `Desktop::media_request` from the client's
//! cache, with HTTP ranges so video and audio stream. The webview never fetches from the server.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use percent_encoding::percent_decode_str;
use phraseanet_app::browse::MediaClient;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

pub const SCHEME: &str = "pmedia";

/// Where players load video and audio: the loopback endpoint's base URL (with its per-run secret).
pub struct MediaBase(pub String);

/// Adds the loopback media endpoint to the window's `media-src`, and nothing else (GitButler-style CSP
/// extension at start-up; the endpoint's port is only known now).
pub fn allow_media_origin<R: Runtime>(context: &mut tauri::Context<R>, origin: &str) {
    use tauri::utils::config::Csp;
    if let Some(Csp::DirectiveMap(map)) = context.config_mut().app.security.csp.as_mut() {
        map.entry("media-src".to_string()).or_default().push(origin);
        map.entry("frame-src".to_string()).or_default().push(origin);
    }
}

pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let path = request.uri().path().to_string();
    let range = request.headers().get(header::RANGE).and_then(|v| v.to_str().ok()).map(str::to_string);
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        // A panic would leave the image loading forever: answer 500 instead.
        let answered = AssertUnwindSafe(answer(&state, &path, range.as_deref())).catch_unwind().await;
        responder.respond(answered.unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)));
    });
}

async fn answer(state: &AppState, raw_path: &str, range: Option<&str>) -> Response<Vec<u8>> {
    // The UI encodes the whole path as one component (convertFileSrc): decode, then split off the profile.
    let decoded = percent_decode_str(raw_path.trim_start_matches('/')).decode_utf8_lossy().into_owned();
    let Some((profile, path)) = decoded.split_once('/') else { return status(StatusCode::NOT_FOUND) };
    state.media_http(MediaClient::Scheme, profile, path, range, false).await
}

fn status(code: StatusCode) -> Response<Vec<u8>> {
    Response::builder().status(code).body(Vec::new()).expect("an empty response builds")
}
