//! The webview's media, served by the shell's custom URI scheme from the client's cache: the webview
//! never talks to the server.
//!
//! Path grammar (what the UI puts after the scheme's host, no leading slash, no query):
//!
//! ```text
//! path    = "thumb/" id "/" id            ; the record's thumbnail
//!         | "sub/" id "/" id "/" name      ; a subdef from the record's /embed/ (document, preview…)
//! id      = 1*18 DIGIT                     ; databox_id then record_id
//! name    = 1*64 ( a-z / 0-9 / "_" / "-" )
//! ```
//!
//! Anything else is `not-found`. A thumbnail comes from the index filled by basket/story/record loads
//! (else `/records/…/` is read once); other subdefs from `/embed/` (cached for its url ttl).
//! Ranges: `Range: bytes=a-b|a-|-n` gives 206 with at most [`MEDIA_CHUNK`] bytes (open ranges are cut so
//! players stream in chunks), an unsatisfiable range 416; without Range a file up to [`FULL_BODY_MAX`]
//! is answered whole (200), a larger one as a 206 of its first chunk.
//!
//! Video and audio not in the cache yet are streamed (`phraseanet_client::media::MediaStream`): a range
//! is answered as soon as its first bytes arrive from the server (a 206 that may be shorter than asked,
//! which players follow with the next range), a range far into the file is asked from the server at
//! that offset, and the file enters the cache once whole. Without Range they get a 206 of the first
//! chunk. Thumbnails, images and PDFs are fetched whole into the cache first.
//!
//! The shell (`register_asynchronous_uri_scheme_protocol`): path = the request URI's path without its
//! leading `/` (`media://localhost/thumb/1/2`, or `http://media.localhost/thumb/1/2` on Windows), Range =
//! the request's `Range` header, profile = the active one. `Ok(r)` → status `r.status`, headers
//! `r.headers()`, body `r.body`; `Err(e)` → status [`error_status`]`(&e)` with an empty body.

use phraseanet_client::media::{parse_range, read_range, MediaStream};
use phraseanet_client::models::Subdef;
use phraseanet_client::{CachedMedia, Error, MediaSource, RecordRef, Result};

use super::models::Plays;
use super::records::subdef_info;
use super::state::BrowseSession;
use crate::Desktop;

/// Largest body of one ranged answer.
pub const MEDIA_CHUNK: u64 = 4 * 1024 * 1024;
/// Largest body answered whole to a request without Range.
pub const FULL_BODY_MAX: u64 = 16 * 1024 * 1024;

/// The answer the shell turns into an HTTP response for the webview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaResponse {
    /// 200, 206 or 416.
    pub status: u16,
    pub content_type: String,
    /// Length of `body`.
    pub content_length: u64,
    /// `bytes a-b/total` on 206, `bytes */total` on 416.
    pub content_range: Option<String>,
    /// Always true: the shell sends `Accept-Ranges: bytes`.
    pub accept_ranges: bool,
    pub body: Vec<u8>,
}

impl MediaResponse {
    /// Every header the shell should send, in order. Media are server data: `nosniff` and a sandboxing
    /// CSP keep an SVG or a mislabelled file from running script in the app's webview.
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut h = vec![
            ("Content-Type", self.content_type.clone()),
            ("Content-Length", self.content_length.to_string()),
            ("Accept-Ranges", "bytes".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox".to_string()),
            // The app has its own bounded cache: the webview keeps no copy of confidential media.
            ("Cache-Control", "no-store".to_string()),
            ("Referrer-Policy", "no-referrer".to_string()),
            ("Cross-Origin-Opener-Policy", "same-origin".to_string()),
        ];
        if let Some(range) = &self.content_range {
            h.push(("Content-Range", range.clone()));
        }
        h
    }
}

/// The HTTP status for a failed media request: 404 not found (also every refused path), 401 when the
/// profile must sign in again, 403 when access is refused, 502 for anything else (server, network).
pub fn error_status(e: &Error) -> u16 {
    match e {
        Error::NotFound(_) | Error::NoSuchSubdef(_) | Error::NotAStory(_) | Error::ProfileNotFound(_) => 404,
        Error::SignedOut | Error::NotSignedIn => 401,
        Error::Unauthorized(_) | Error::Forbidden(_) => 403,
        _ => 502,
    }
}

/// The one content type a media answer carries: built by the app from an allow-list, never the server's
/// raw value (a list such as `application/pdf, text/xsl` is read differently by different engines).
/// Anything else is served as bytes: media are displayed, never executed.
pub(crate) fn safe_content_type(mime: String) -> String {
    const EXACT: &[&str] = &[
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/tiff",
        "image/bmp",
        "image/svg+xml",
        "application/pdf",
        "text/plain",
    ];
    let essence = mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let token =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    let allowed = !mime.contains(',')
        && (EXACT.contains(&essence.as_str())
            || ["video/", "audio/"].iter().any(|p| essence.strip_prefix(p).is_some_and(token)));
    if allowed {
        essence
    } else {
        "application/octet-stream".to_string()
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MediaPath {
    Thumb(RecordRef),
    Sub(RecordRef, String),
}

fn id(s: &str) -> Option<i64> {
    (!s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn subdef_name(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    ok.then(|| s.to_string())
}

pub(crate) fn parse_path(path: &str) -> Option<MediaPath> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["thumb", d, r] => Some(MediaPath::Thumb(RecordRef::new(id(d)?, id(r)?))),
        ["sub", d, r, name] => Some(MediaPath::Sub(RecordRef::new(id(d)?, id(r)?), subdef_name(name)?)),
        _ => None,
    }
}

fn not_found(path: &str) -> Error {
    // The path is the webview's: echo only its length, never its content, into messages and logs.
    Error::NotFound(format!("no media at this address ({} characters)", path.len()))
}

/// Who asks for a media: the `pmedia:` scheme (images in the app's own pages) or the loopback endpoint
/// (players, and the PDF frame, whose engine viewer a sandboxing CSP would blank out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaClient {
    Scheme,
    Endpoint,
}

impl Desktop {
    /// The one HTTP adapter of media answers, for the scheme and the endpoint alike: status, headers
    /// (`nosniff`, sandboxing CSP, `no-store`, allow-listed type) and body, or the error's status. The
    /// caller has parsed its own URL form into `profile` and `path`.
    pub async fn media_http(
        &self,
        client: MediaClient,
        profile: &str,
        path: &str,
        range: Option<&str>,
        head: bool,
    ) -> axum::http::Response<Vec<u8>> {
        use axum::http::{Response, StatusCode};
        let status = |code: u16| {
            let code = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
            Response::builder().status(code).body(Vec::new()).expect("an empty response builds")
        };
        super::memory::give_back_when_quiet();
        match self.media_request(profile, path, range).await {
            Ok(m) => {
                let pdf_frame = client == MediaClient::Endpoint && m.content_type == "application/pdf";
                let mut b = Response::builder().status(m.status);
                for (name, value) in m.headers() {
                    if !(pdf_frame && name == "Content-Security-Policy") {
                        b = b.header(name, value);
                    }
                }
                b.body(if head { Vec::new() } else { m.body }).unwrap_or_else(|_| status(500))
            }
            Err(e) => {
                tracing::warn!("media request failed: {}", e.code());
                status(error_status(&e))
            }
        }
    }

    /// Serves one media-scheme request (see the module docs for the grammar and the status codes).
    pub async fn media_request(
        &self,
        profile: &str,
        path: &str,
        range_header: Option<&str>,
    ) -> Result<MediaResponse> {
        let parsed = parse_path(path).ok_or_else(|| not_found(path))?;
        let result = self.media_source(profile, &parsed).await;
        let (source, mime_hint) = result?;
        let state = self.browse_state(profile)?;
        if state.media.cached(&source.key).is_none() && plays_in_player(&state, &parsed).await {
            let stream = state.media.stream(&source).await?;
            return answer_stream(&stream, mime_hint, range_header).await;
        }
        let media = state.media.fetch(&source).await?;
        let range = range_header.map(str::to_string);
        tokio::task::spawn_blocking(move || answer(&media, mime_hint, range.as_deref()))
            .await
            .map_err(|e| Error::Internal(format!("media read task failed: {e}")))?
    }

    pub(crate) async fn media_source(
        &self,
        profile: &str,
        p: &MediaPath,
    ) -> Result<(MediaSource, Option<String>)> {
        let state = self.browse_state(profile)?;
        let (r, name) = match p {
            MediaPath::Thumb(r) => (*r, "thumbnail"),
            MediaPath::Sub(r, name) => (*r, name.as_str()),
        };
        if let Some(src) = state.source(r, name) {
            return Ok((src, None));
        }
        let found: Option<Subdef> = if name == "thumbnail" {
            let record = state.api.record(r).await?;
            match record.thumbnail {
                Some(t) => Some(t),
                None if record.looks_like_story() => {
                    state.embed(r, true).await?.iter().find(|s| s.name == name).cloned()
                }
                None => None,
            }
        } else {
            let embed = match state.embed(r, false).await {
                Err(Error::NotFound(_)) => state.embed(r, true).await?,
                other => other?,
            };
            embed.iter().find(|s| s.name == name).cloned()
        };
        let sd = found.ok_or_else(|| {
            Error::NotFound(format!("record {}/{} has no {name}", r.databox_id, r.record_id))
        })?;
        state.index(r, &sd);
        let src = MediaSource::subdef(r, &sd).ok_or_else(|| Error::NotFound(format!("{name} has no url")))?;
        Ok((src, sd.mime_type))
    }
}

/// Whether a `sub/` path is a video or audio the viewer plays (`Plays`, from the record's embed, cached
/// by the record panel): those are streamed. Anything unknown is fetched whole, as before.
async fn plays_in_player(state: &BrowseSession, p: &MediaPath) -> bool {
    let MediaPath::Sub(r, name) = p else { return false };
    let embed = match state.embed(*r, false).await {
        Err(Error::NotFound(_)) => state.embed(*r, true).await,
        other => other,
    };
    let Ok(embed) = embed else { return false };
    embed
        .iter()
        .find(|s| &s.name == name)
        .is_some_and(|sd| matches!(subdef_info(*r, sd).plays, Plays::Video | Plays::Audio))
}

/// The first byte and the last (None: to the end) of `bytes=a-b` / `bytes=a-`, which need no size;
/// None for a suffix (`bytes=-n`) or anything malformed.
fn leading_span(h: &str) -> Option<(u64, Option<u64>)> {
    let spec = h.trim().strip_prefix("bytes=")?.split(',').next()?.trim();
    let (a, b) = spec.split_once('-')?;
    let start = a.trim().parse().ok()?;
    match b.trim() {
        "" => Some((start, None)),
        b => b.parse().ok().filter(|&e| e >= start).map(|e| (start, Some(e))),
    }
}

fn unsatisfiable(content_type: String, total: u64) -> MediaResponse {
    MediaResponse {
        status: 416,
        content_type,
        content_length: 0,
        content_range: Some(format!("bytes */{total}")),
        accept_ranges: true,
        body: Vec::new(),
    }
}

/// Answers from a stream: a 206 of at most [`MEDIA_CHUNK`] bytes as soon as they are there.
async fn answer_stream(
    stream: &MediaStream,
    mime_hint: Option<String>,
    range: Option<&str>,
) -> Result<MediaResponse> {
    let content_type = |s: &MediaStream| {
        safe_content_type(
            s.mime()
                .filter(|m| !m.trim().is_empty())
                .or(mime_hint.clone())
                .unwrap_or_else(|| "application/octet-stream".into()),
        )
    };
    // A header that is not a byte range is ignored (RFC 9110 §14.2), as for cached files.
    let (start, end) = match range.map(str::trim).filter(|h| h.starts_with("bytes=")) {
        None => (0, None),
        Some(h) => match leading_span(h) {
            Some(span) => span,
            // A suffix or a bad range needs the size first.
            None => {
                let total = stream.total().await?;
                match parse_range(h, total) {
                    Some((a, b)) => (a, Some(b)),
                    None => return Ok(unsatisfiable(content_type(stream), total)),
                }
            }
        },
    };
    let data = match stream.read(start, end, MEDIA_CHUNK).await {
        Ok(d) => d,
        Err(e) => match stream.known_total() {
            Some(total) if start >= total => return Ok(unsatisfiable(content_type(stream), total)),
            _ => return Err(e),
        },
    };
    Ok(MediaResponse {
        status: 206,
        content_type: content_type(stream),
        content_length: data.bytes.len() as u64,
        content_range: Some(data.content_range()),
        accept_ranges: true,
        body: data.bytes,
    })
}

/// Builds the answer from a cached file (blocking file reads: run off the async threads).
fn answer(media: &CachedMedia, mime_hint: Option<String>, range: Option<&str>) -> Result<MediaResponse> {
    let total = std::fs::metadata(&media.path)?.len();
    let content_type = safe_content_type(
        media
            .mime
            .clone()
            .filter(|m| !m.trim().is_empty())
            .or(mime_hint)
            .unwrap_or_else(|| "application/octet-stream".into()),
    );
    // A header that is not a byte range is ignored (RFC 9110 §14.2); a bad byte range is a 416.
    let ranged = match range.map(str::trim).filter(|h| h.starts_with("bytes=")) {
        Some(h) => match parse_range(h, total) {
            Some(span) => Some(span),
            None => return Ok(unsatisfiable(content_type, total)),
        },
        None if total > FULL_BODY_MAX => Some((0, total - 1)),
        None => None,
    };
    match ranged {
        Some((start, end)) => {
            let data = read_range(media, start, end, MEDIA_CHUNK)?;
            Ok(MediaResponse {
                status: 206,
                content_type,
                content_length: data.bytes.len() as u64,
                content_range: Some(data.content_range()),
                accept_ranges: true,
                body: data.bytes,
            })
        }
        None => {
            let body = std::fs::read(&media.path)?;
            Ok(MediaResponse {
                status: 200,
                content_type,
                content_length: body.len() as u64,
                content_range: None,
                accept_ranges: true,
                body,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_is_strict() {
        assert_eq!(parse_path("thumb/1/22"), Some(MediaPath::Thumb(RecordRef::new(1, 22))));
        assert_eq!(
            parse_path("sub/1/22/preview_x-2"),
            Some(MediaPath::Sub(RecordRef::new(1, 22), "preview_x-2".into()))
        );
        for bad in [
            "",
            "thumb",
            "thumb/1",
            "thumb/1/2/3",
            "thumb/-1/2",
            "thumb/+1/2",
            "thumb/1/2/",
            "/thumb/1/2",
            "sub/1/2/Preview",
            "sub/1/2/../x",
            "sub/1/2/a.b",
            "sub/1/2/",
            "sub/1/2/a%2F",
            "thumb/1/2?x=1",
            "thumb/1234567890123456789/2",
            "file/1/2",
            "sub/1/2/é",
        ] {
            assert_eq!(parse_path(bad), None, "{bad:?}");
        }
        assert_eq!(parse_path(&format!("sub/1/2/{}", "a".repeat(65))), None);
    }

    #[test]
    fn leading_spans_need_no_size() {
        assert_eq!(leading_span("bytes=0-"), Some((0, None)));
        assert_eq!(leading_span("bytes=10-19"), Some((10, Some(19))));
        assert_eq!(leading_span(" bytes= 5 - 9 ,20-30"), Some((5, Some(9))), "as leniently as parse_range");
        assert_eq!(leading_span("bytes=5-9,20-30"), Some((5, Some(9))), "the first of several");
        for sized in ["bytes=-10", "bytes=9-1", "bytes=x-", "bytes=", "bytes=1"] {
            assert_eq!(leading_span(sized), None, "{sized}");
        }
    }

    #[test]
    fn documents_that_could_run_script_are_served_as_bytes() {
        for active in [
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "text/xml",
            "text/xsl",
            "text/javascript",
            " ",
            "application/pdf, text/xsl",
            "application/pdfx",
            "video/mp4\r\nX: y",
            "application/x-shockwave-flash",
        ] {
            assert_eq!(safe_content_type(active.into()), "application/octet-stream", "{active}");
        }
        for passive in ["image/jpeg", "video/mp4", "audio/mpeg", "application/pdf", "image/svg+xml"] {
            assert_eq!(safe_content_type(passive.into()), passive);
        }
        // The canonical essence, never the server's parameters.
        assert_eq!(safe_content_type("Application/PDF; name=\"x\"".into()), "application/pdf");
    }
}
