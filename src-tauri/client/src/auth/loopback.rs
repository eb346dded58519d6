//! The loopback redirect (RFC 8252 §7.3): the browser comes back to a one-shot listener on
//! `127.0.0.1:<random port>`, so there is no code to paste and no 30-second race. Phraseanet matches
//! redirect URIs by case-insensitive prefix (api §2.2): a *web* application registered with the
//! callback `http://127.0.0.1` accepts `http://127.0.0.1:<port>/…`.
//!
//! The listener answers only `GET <CALLBACK_PATH>` with `Host: 127.0.0.1:<port>` and the `state` sent;
//! anything else (other paths, hosts, methods, states, slow or oversized requests) is refused without
//! effect. The first valid callback's code is exchanged at once and the browser is told the outcome
//! on a small page with no script; then the listener closes. Cancel and a time limit end it too.
//!
//! hyper serves the connections (it is already in the tree through reqwest): it parses HTTP and
//! bounds header size and read time, which a hand-written parser would have to get right.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CACHE_CONTROL, CONNECTION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

use super::{normalize_code, AuthorizeRequest, Pending, SignIn, SignedIn};
use crate::error::{Error, Result};

/// How long the app waits for the browser to come back.
pub const LOOPBACK_TIME_LIMIT: Duration = Duration::from_secs(300);
/// The path the browser comes back to (the registered callback `http://127.0.0.1` is its prefix).
const CALLBACK_PATH: &str = "/phraseanet-desktop/signed-in";
/// A request's head must arrive within this; a whole connection (the exchange included) within twice
/// the token time limit.
const HEADER_TIME: Duration = Duration::from_secs(5);
const CONNECTION_TIME: Duration = Duration::from_secs(40);
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once; more are closed at once (a local process flooding the port).
const MAX_CONNECTIONS: usize = 16;

/// A started loopback sign-in: open `authorize().url` in the browser, then `finish`.
pub struct Loopback {
    sign_in: SignIn,
    listener: TcpListener,
    request: AuthorizeRequest,
    pending: Pending,
    host: String,
    lang: Lang,
}

impl std::fmt::Debug for Loopback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loopback").field("host", &self.host).finish_non_exhaustive()
    }
}

impl SignIn {
    /// Opens the listener on a random loopback port and builds the authorize URL that comes back to
    /// it. `lang` ("en", "fr") is the language of the page the browser lands on.
    pub async fn start_loopback(&self, lang: &str) -> Result<Loopback> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| Error::Desktop {
            action: "open a local port for the browser to come back to",
            detail: e.to_string(),
        })?;
        let port = listener.local_addr().map_err(|e| Error::Io(e.to_string()))?.port();
        let host = format!("127.0.0.1:{port}");
        let (request, pending) = self.start(&format!("http://{host}{CALLBACK_PATH}"))?;
        Ok(Loopback { sign_in: self.clone(), listener, request, pending, host, lang: Lang::from(lang) })
    }
}

impl Loopback {
    /// The page to open in the system browser.
    pub fn authorize(&self) -> &AuthorizeRequest {
        &self.request
    }

    /// The redirect URI the server sends the browser back to.
    pub fn redirect_uri(&self) -> &str {
        &self.pending.redirect_uri
    }

    /// Waits for the browser, exchanges its code and validates the token. Ends with `cancelled`, or
    /// `sign-in-timed-out` after `time_limit`; the port is closed when this returns.
    pub async fn finish(self, cancel: CancellationToken, time_limit: Duration) -> Result<SignedIn> {
        let (done, outcome) = oneshot::channel();
        let shared = Arc::new(Callback {
            sign_in: self.sign_in,
            pending: self.pending,
            host: self.host,
            lang: self.lang,
            done: Mutex::new(Some(done)),
            exchanging: Mutex::new(false),
        });
        let connections = tokio_util::task::TaskTracker::new();
        let stop = CancellationToken::new();
        let accept = async {
            loop {
                let Ok((stream, _)) = self.listener.accept().await else {
                    // Out of file descriptors, say: do not spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                if connections.len() >= MAX_CONNECTIONS {
                    continue; // dropped: closed at once
                }
                let (shared, stop) = (shared.clone(), stop.clone());
                connections.spawn(async move {
                    tokio::select! {
                        _ = serve(stream, shared) => {}
                        _ = stop.cancelled() => {}
                    }
                });
            }
        };
        let result = tokio::select! {
            r = outcome => r.unwrap_or(Err(Error::Cancelled)),
            _ = accept => unreachable!("the accept loop never ends"),
            _ = cancel.cancelled() => Err(Error::Cancelled),
            _ = tokio::time::sleep(time_limit) => Err(Error::SignInTimedOut),
        };
        // Let the page of the winning request go out, then close everything.
        connections.close();
        let _ = tokio::time::timeout(Duration::from_secs(2), connections.wait()).await;
        stop.cancel();
        result
    }
}

/// What every connection of one loopback sign-in shares.
struct Callback {
    sign_in: SignIn,
    pending: Pending,
    host: String,
    lang: Lang,
    /// Taken by the request that settles the sign-in.
    done: Mutex<Option<oneshot::Sender<Result<SignedIn>>>>,
    /// A code is being exchanged: later callbacks wait for nothing and are told so.
    exchanging: Mutex<bool>,
}

async fn serve(stream: tokio::net::TcpStream, shared: Arc<Callback>) {
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(answer(&shared, req).await) }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIME)
        .max_buf_size(MAX_HEAD)
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(CONNECTION_TIME, conn).await;
}

async fn answer(shared: &Callback, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let t = shared.lang.texts();
    // A page on another origin (DNS rebinding) or a stray request must not reach the exchange.
    let host_ok = req.headers().get(HOST).and_then(|h| h.to_str().ok()) == Some(shared.host.as_str());
    if !host_ok {
        return page(StatusCode::BAD_REQUEST, t.refused_title, t.not_ours, shared.lang);
    }
    if req.method() != Method::GET {
        return page(StatusCode::METHOD_NOT_ALLOWED, t.refused_title, t.not_ours, shared.lang);
    }
    if req.uri().path() != CALLBACK_PATH {
        return page(StatusCode::NOT_FOUND, t.refused_title, t.not_ours, shared.lang);
    }
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes()).into_owned().collect();
    if !query.get("state").is_some_and(|s| shared.pending.state_is(s)) {
        return page(StatusCode::BAD_REQUEST, t.refused_title, t.not_ours, shared.lang);
    }
    {
        let mut exchanging = shared.exchanging.lock().expect("loopback lock");
        if *exchanging {
            return page(StatusCode::CONFLICT, t.done_title, t.already, shared.lang);
        }
        *exchanging = true;
    }
    let outcome = match (query.get("code"), query.get("error")) {
        (_, Some(e)) if e == "redirect_uri_mismatch" => Err(Error::NotAWebApp),
        (_, Some(e)) if e == "access_denied" => {
            Err(Error::AccessDenied("the authorization was refused on the sign-in page".into()))
        }
        (_, Some(e)) => Err(super::token::map_oauth_error(e)),
        (Some(code), None) => match normalize_code(code) {
            Ok(code) => exchange(shared, &code).await,
            Err(e) => Err(e.into()),
        },
        (None, None) => Err(Error::InvalidCode("the browser came back without a code".into())),
    };
    let response = match &outcome {
        Ok(_) => page(StatusCode::OK, t.signed_in_title, t.signed_in, shared.lang),
        Err(e) => page(StatusCode::OK, t.failed_title, &format!("{} {}", t.failed, e.message()), shared.lang),
    };
    if let Some(done) = shared.done.lock().expect("loopback lock").take() {
        let _ = done.send(outcome);
    }
    response
}

async fn exchange(shared: &Callback, code: &super::Code) -> Result<SignedIn> {
    let token = shared.sign_in.exchange(code, Some(&shared.pending)).await?;
    shared.sign_in.validate_token(token).await
}

#[derive(Clone, Copy)]
enum Lang {
    En,
    Fr,
}

impl From<&str> for Lang {
    fn from(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

struct Texts {
    signed_in_title: &'static str,
    signed_in: &'static str,
    failed_title: &'static str,
    failed: &'static str,
    refused_title: &'static str,
    not_ours: &'static str,
    done_title: &'static str,
    already: &'static str,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn texts(self) -> Texts {
        match self {
            Lang::En => Texts {
                signed_in_title: "You are signed in",
                signed_in: "You are signed in to Phraseanet Desktop — you can close this tab.",
                failed_title: "Sign-in failed",
                failed: "Phraseanet Desktop could not sign you in. Go back to the app to try again.",
                refused_title: "Not a sign-in",
                not_ours: "This is not the sign-in Phraseanet Desktop is waiting for.",
                done_title: "Already done",
                already: "This sign-in was already handled: go back to Phraseanet Desktop.",
            },
            Lang::Fr => Texts {
                signed_in_title: "Vous êtes connecté",
                signed_in: "Vous êtes connecté à Phraseanet Desktop — vous pouvez fermer cet onglet.",
                failed_title: "La connexion a échoué",
                failed:
                    "Phraseanet Desktop n'a pas pu vous connecter. Revenez dans l'application pour réessayer.",
                refused_title: "Pas une connexion",
                not_ours: "Ce n'est pas la connexion qu'attend Phraseanet Desktop.",
                done_title: "Déjà fait",
                already: "Cette connexion a déjà été traitée : revenez dans Phraseanet Desktop.",
            },
        }
    }
}

/// A page with no script and nothing from the server but escaped text.
fn page(status: StatusCode, title: &str, text: &str, lang: Lang) -> Response<Full<Bytes>> {
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font:16px system-ui,sans-serif;margin:4em auto;max-width:32em;padding:0 1em}}</style>\
         </head><body><h1>{}</h1><p>{}</p></body></html>",
        lang.code(),
        escape(title),
        escape(title),
        escape(text)
    );
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .header(CACHE_CONTROL, "no-store")
        .header(CONNECTION, "close")
        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff")
        .body(Full::new(Bytes::from(body)))
        .expect("static response parts")
}

fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}
