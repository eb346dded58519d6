//! The doctor's probes. None sends a secret except the token check (to `/me/`, as any call would); the
//! others use no token, or the dummy `0` of `probe_transport`.

use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, CONTENT_TYPE, DATE, LOCATION};
use reqwest::StatusCode;

use super::{Check, CheckId, DoctorInput};
use crate::api::Api;
use crate::auth::token::{map_request_error, TokenRefusal};
use crate::auth::OOB_REDIRECT_URI;
use crate::error::{Error, TransportFault};
use crate::http::{build_probe_client, map_reqwest, proxy_for, read_capped, HttpOptions};
use crate::profile::{AuthMethod, TokenTransport};
use crate::transport::{param_reaches, probe_transport};
use crate::url::ServerUrl;
use oauth2::RequestTokenError;

const PROBE_TIME: Duration = Duration::from_secs(15);
/// A certificate this close to its end is worth a warning.
const CERT_MARGIN: Duration = Duration::from_secs(14 * 24 * 3600);
/// Beyond this, signed media URLs (and tokens, should they expire one day) misbehave.
const CLOCK_MARGIN: Duration = Duration::from_secs(300);
/// A loopback callback for the application check; nothing listens there, nothing is followed.
const LOOPBACK_PROBE: &str = "http://127.0.0.1:9/phraseanet-desktop/doctor";

pub(super) struct Run<'a> {
    server: &'a ServerUrl,
    opts: &'a HttpOptions,
    client: Option<reqwest::Client>,
    checks: Vec<Check>,
    discovery: Option<(StatusCode, bool, Vec<u8>)>,
    date: Option<SystemTime>,
    transport: TokenTransport,
}

pub(super) fn proxy(server: &ServerUrl) -> Check {
    match proxy_for(&server.join("")) {
        Some(p) => Check::pass(CheckId::Proxy, format!("requests go through {p} (from the proxy settings)")),
        None => Check::pass(CheckId::Proxy, "none: a direct connection"),
    }
}

impl<'a> Run<'a> {
    pub fn new(server: &'a ServerUrl, opts: &'a HttpOptions, checks: Vec<Check>) -> Run<'a> {
        let transport = TokenTransport::Header;
        Run { server, opts, client: None, checks, discovery: None, date: None, transport }
    }

    pub fn into_checks(self) -> Vec<Check> {
        self.checks
    }

    /// DNS, then the connection and its certificate (one `GET /api/`, kept for the next checks).
    pub async fn reachable(&mut self) -> bool {
        let url = self.server.join("api/");
        let host = url.host_str().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_string();
        let port = url.port_or_known_default().unwrap_or(443);
        let resolved = tokio::time::timeout(PROBE_TIME, tokio::net::lookup_host((host.as_str(), port))).await;
        match resolved {
            Ok(Ok(mut addrs)) => match addrs.next() {
                Some(a) => self.checks.push(Check::pass(CheckId::Dns, format!("{host} is {}", a.ip()))),
                None => return self.fail(CheckId::Dns, Error::Network(format!("{host} has no address"))),
            },
            Ok(Err(e)) => {
                return self
                    .fail(CheckId::Dns, Error::Network(format!("the name {host} does not resolve ({e})")))
            }
            Err(_) => return self.fail(CheckId::Dns, Error::Timeout),
        }
        let client = match build_probe_client(self.opts) {
            Ok(c) => c,
            Err(e) => return self.fail(CheckId::Tls, e),
        };
        let sent =
            client.get(url.clone()).header(ACCEPT, "application/json").timeout(PROBE_TIME).send().await;
        let resp = match sent.map_err(map_reqwest) {
            Ok(r) => r,
            Err(e @ Error::Tls(_)) => return self.fail(CheckId::Tls, e),
            Err(e) => return self.fail(CheckId::Phraseanet, e),
        };
        self.checks.push(certificate(&url, &resp));
        self.date = resp
            .headers()
            .get(DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        let status = resp.status();
        let html = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("html"));
        match read_capped(resp, 256 * 1024, PROBE_TIME, None).await {
            Ok(body) => self.discovery = Some((status, html, body.to_vec())),
            Err(e) => return self.fail(CheckId::Phraseanet, e),
        }
        self.client = Some(client);
        true
    }

    /// `/api/` as Phraseanet, its API on, and the ways the token can travel.
    pub async fn phraseanet(&mut self) -> bool {
        let Some((status, html, body)) = self.discovery.take() else { return false };
        let json: Option<serde_json::Value> = if html { None } else { serde_json::from_slice(&body).ok() };
        let response = json.as_ref().map(|v| v.get("response").unwrap_or(v));
        let is_phraseanet =
            response.and_then(|r| r.get("type")).and_then(|t| t.as_str()) == Some("phraseanet");
        if !status.is_success() || !is_phraseanet {
            let what =
                format!("/api/ answered HTTP {} without Phraseanet's discovery answer", status.as_u16());
            return self.fail(CheckId::Phraseanet, Error::NotPhraseanet(what));
        }
        let mut versions: Vec<String> = response
            .and_then(|r| r.get("versions"))
            .and_then(|v| v.as_object())
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        versions.sort();
        let era = if versions.iter().any(|v| v == "3") {
            "Phraseanet 4.1.1 or later"
        } else if versions.iter().any(|v| v == "2") {
            "Phraseanet 4.0 or 4.1.0"
        } else {
            "Phraseanet 3.8 or older"
        };
        let list = versions.iter().map(|v| format!("v{v}")).collect::<Vec<_>>().join(", ");
        self.checks.push(Check::pass(CheckId::Phraseanet, format!("API {list}: {era}")));

        let client = self.client.clone().expect("set by reachable");
        match probe_transport(&client, self.server, self.opts).await {
            Ok(t) => {
                self.transport = t;
                self.checks.push(Check::pass(CheckId::Api, "switched on"));
            }
            Err(e) => return self.fail(CheckId::Api, e),
        }
        let header = self.transport == TokenTransport::Header;
        let param = param_reaches(&client, self.server, self.opts).await;
        let check = match (header, param) {
            (true, true) => Check::pass(
                CheckId::TokenTransport,
                "the Authorization header and the oauth_token parameter both reach the server",
            ),
            (true, false) => Check::pass(
                CheckId::TokenTransport,
                "the Authorization header only (the server ignores the parameter)",
            ),
            (false, true) => {
                self.transport = TokenTransport::Param;
                Check::pass(
                    CheckId::TokenTransport,
                    "the oauth_token parameter only: the server refuses the header or a web server drops it",
                )
            }
            (false, false) => {
                Check::fail(CheckId::TokenTransport, &Error::TokenTransport(TransportFault::NoWay))
            }
        };
        self.checks.push(check);
        true
    }

    /// A POST with no parameters at all (so no secret): OAuth answers `invalid_request`; the https gate
    /// answers its `{"msg"}` (api §2.3), which also fires over https behind an untrusted TLS proxy.
    pub async fn token_endpoint(&mut self) {
        let client = self.client.clone().expect("set by reachable");
        let url = self.server.join("api/oauthv2/token");
        let sent = client.post(url.clone()).header(ACCEPT, "application/json").form(&[("grant_type", "")]);
        let answer = match sent.timeout(PROBE_TIME).send().await.map_err(map_reqwest) {
            Ok(r) => (r.status(), read_capped(r, 64 * 1024, PROBE_TIME, None).await),
            Err(e) => return self.checks.push(Check::fail(CheckId::TokenEndpoint, &e)),
        };
        let refusal = answer.1.ok().and_then(|b| serde_json::from_slice::<TokenRefusal>(&b).ok());
        let check = match refusal {
            Some(r) if r.is_oauth() => Check::pass(CheckId::TokenEndpoint, "answers OAuth requests"),
            Some(r) if r.recognized() => {
                let e = map_request_error(RequestTokenError::ServerResponse(r), url.scheme() == "https");
                Check::fail(CheckId::TokenEndpoint, &e)
            }
            _ if answer.0 == StatusCode::NOT_FOUND => {
                Check::fail(CheckId::TokenEndpoint, &Error::ApiDisabled)
            }
            _ => Check::fail(CheckId::TokenEndpoint, &Error::OAuthPage(answer.0.as_u16())),
        };
        self.checks.push(check);
    }

    /// The client id and the application's kind, read from the authorize page's answers to the OOB
    /// and a loopback redirect (api §2.2: a mismatch redirects with `redirect_uri_mismatch`).
    pub async fn application(&mut self, input: &DoctorInput) {
        let Some(client_id) = input.client_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
            self.checks.push(Check::skipped(CheckId::Application, "no client id to check"));
            return;
        };
        let client = self.client.clone().expect("set by reachable");
        let oob = self.authorize_answer(&client, client_id, OOB_REDIRECT_URI).await;
        let loopback = self.authorize_answer(&client, client_id, LOOPBACK_PROBE).await;
        let check = match (oob, loopback) {
            (Err(e), _) | (_, Err(e)) => Check::fail(CheckId::Application, &e),
            (Ok(true), _) => match input.auth {
                Some(AuthMethod::Loopback) => Check::fail(CheckId::Application, &Error::NotAWebApp),
                _ => Check::pass(
                    CheckId::Application,
                    "a Desktop application: the sign-in shows a code to paste",
                ),
            },
            (Ok(false), Ok(true)) => match input.auth {
                Some(AuthMethod::OauthOob) => Check::fail(CheckId::Application, &Error::NotADesktopApp),
                _ => Check::pass(
                    CheckId::Application,
                    "a web application with the callback http://127.0.0.1: the browser comes back to the app",
                ),
            },
            (Ok(false), Ok(false)) => match input.auth {
                Some(AuthMethod::OauthOob) | None => {
                    Check::fail(CheckId::Application, &Error::NotADesktopApp)
                }
                Some(AuthMethod::Loopback) => Check::fail(CheckId::Application, &Error::NotAWebApp),
                Some(_) => Check::warn(
                    CheckId::Application,
                    "a web application with another callback: no browser sign-in can come back to the app",
                    "Register a Desktop application, or a web one with the callback http://127.0.0.1.",
                ),
            },
        };
        self.checks.push(check);
    }

    /// Whether the authorize page accepts `redirect_uri` for `client_id` (it shows the login form),
    /// or the error that says the client id is wrong. Nothing is followed, no one is logged in.
    async fn authorize_answer(
        &self,
        client: &reqwest::Client,
        client_id: &str,
        redirect: &str,
    ) -> Result<bool, Error> {
        let mut url = self.server.join("api/oauthv2/authorize");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect);
        let resp = client.get(url).timeout(PROBE_TIME).send().await.map_err(map_reqwest)?;
        let status = resp.status();
        let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        Ok(match status.as_u16() {
            200 => true,
            302 | 303 if location.contains("error=redirect_uri_mismatch") => false,
            // A malformed client id: 302 to the redirect with invalid_client, or 302 with no Location.
            302 | 303 if location.is_empty() || location.contains("error=invalid_client") => {
                return Err(Error::InvalidClient)
            }
            // An unknown client id: an HTML error page (api §2.2, step 2).
            400 => return Err(Error::InvalidClient),
            404 => return Err(Error::ApiDisabled),
            code => return Err(Error::OAuthPage(code)),
        })
    }

    /// The stored token against `/me/` (a fresh API: no session hook runs, nothing is removed).
    pub async fn token(&mut self, input: &DoctorInput) {
        let Some(token) = input.token.clone() else {
            self.checks.push(Check::skipped(CheckId::Token, "not signed in yet"));
            return;
        };
        let transport = input.transport.unwrap_or(self.transport);
        let check = match Api::with_transport(self.server.clone(), token, self.opts.clone(), transport) {
            Ok(api) => match api.me().await {
                Ok(me) => Check::pass(CheckId::Token, format!("works: signed in as {}", me.user.name())),
                Err(e) => Check::fail(CheckId::Token, &e),
            },
            Err(e) => Check::fail(CheckId::Token, &e),
        };
        self.checks.push(check);
    }

    pub fn clock(&mut self) {
        let Some(server) = self.date else {
            self.checks.push(Check::skipped(CheckId::Clock, "the server sent no Date header"));
            return;
        };
        let now = SystemTime::now();
        let (skew, ahead) = match server.duration_since(now) {
            Ok(d) => (d, true),
            Err(e) => (e.duration(), false),
        };
        let check = if skew > CLOCK_MARGIN {
            let minutes = skew.as_secs() / 60;
            let way = if ahead { "ahead of" } else { "behind" };
            Check::warn(
                CheckId::Clock,
                format!("the server's clock is {minutes} minutes {way} this computer's"),
                "Set this computer's clock automatically, or ask the administrator to check the server's.",
            )
        } else {
            Check::pass(CheckId::Clock, format!("in step (within {} s)", skew.as_secs().max(1)))
        };
        self.checks.push(check);
    }

    fn fail(&mut self, id: CheckId, e: Error) -> bool {
        self.checks.push(Check::fail(id, &e));
        false
    }
}

/// The certificate's issuer and validity, from the connection that just worked.
fn certificate(url: &url::Url, resp: &reqwest::Response) -> Check {
    if url.scheme() != "https" {
        return Check::pass(CheckId::Tls, "not used: plain http to this computer");
    }
    let der = resp.extensions().get::<reqwest::tls::TlsInfo>().and_then(|t| t.peer_certificate());
    let Some(Ok((_, cert))) = der.map(x509_parser::parse_x509_certificate) else {
        return Check::pass(CheckId::Tls, "trusted (the certificate could not be read for details)");
    };
    let issuer = cert
        .issuer()
        .iter_organization()
        .chain(cert.issuer().iter_common_name())
        .find_map(|a| a.as_str().ok())
        .unwrap_or("an unnamed issuer")
        .to_string();
    let until = cert.validity().not_after;
    let left = until.timestamp() - now_unix();
    let date = until.to_datetime().date();
    let detail = format!("trusted, issued by {issuer}, valid until {date}");
    if left < CERT_MARGIN.as_secs() as i64 {
        let days = left.max(0) / 86_400;
        return Check::warn(
            CheckId::Tls,
            format!("{detail} ({days} days left)"),
            "Tell the server's administrator that its certificate expires soon.",
        );
    }
    Check::pass(CheckId::Tls, detail)
}

fn now_unix() -> i64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}
