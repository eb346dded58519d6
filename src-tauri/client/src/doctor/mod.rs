//! The connection doctor: why a server cannot be reached or signed in to, one check at a time, each with
//! its verdict and the next step. The same report feeds the app's doctor screen and
//! `phraseanet-cli doctor`; `text()` is what the person pastes in a ticket to the server's
//! administrator: host names kept, never a token, secret, code or password.
//!
//! Checks run in the order a connection needs them; when one fails, those that depend on it are
//! skipped rather than failing in turn with a less useful message.

mod probes;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, ErrorPayload};
use crate::http::HttpOptions;
use crate::profile::{AuthMethod, TokenTransport};
use crate::url::ServerUrl;
use crate::vault::Secret;

/// What to check: a server address, and what is known of the application and the token.
#[derive(Debug, Default)]
pub struct DoctorInput {
    pub server: String,
    pub client_id: Option<String>,
    /// How the profile signs in: the application kind check compares it with what the server says.
    pub auth: Option<AuthMethod>,
    pub token: Option<Secret>,
    pub transport: Option<TokenTransport>,
}

/// One line of the report, in running order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum CheckId {
    /// The address is a valid http(s) server root (normalized).
    Address,
    /// The host name resolves.
    Dns,
    /// The certificate: issuer, expiry, host name.
    Tls,
    /// `/api/` answers as Phraseanet, with its API versions.
    Phraseanet,
    /// The v1 API is switched on.
    Api,
    /// How the token can reach the server: header, parameter, or neither.
    TokenTransport,
    /// The token endpoint answers OAuth (not the https gate, not an HTML page).
    TokenEndpoint,
    /// The client id is known, and the application's kind (Desktop or web) fits the sign-in.
    Application,
    /// The stored token works (`/me/`), and whose it is.
    Token,
    /// The server's clock (its `Date` header) against this computer's.
    Clock,
    /// A proxy between this computer and the server.
    Proxy,
}

impl CheckId {
    /// The English title, for the text report (the UI has its own, translated).
    pub fn title(self) -> &'static str {
        match self {
            CheckId::Address => "Address",
            CheckId::Dns => "Host name",
            CheckId::Tls => "Secure connection",
            CheckId::Phraseanet => "Phraseanet server",
            CheckId::Api => "API",
            CheckId::TokenTransport => "Token transport",
            CheckId::TokenEndpoint => "Token endpoint",
            CheckId::Application => "Application",
            CheckId::Token => "Sign-in token",
            CheckId::Clock => "Clock",
            CheckId::Proxy => "Proxy",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum CheckState {
    Pass,
    /// Works, but something deserves attention (a certificate about to expire, a clock off).
    Warn,
    Fail,
    /// Not run: an earlier check failed, or there is nothing to check (no token yet).
    Skipped,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Check {
    pub id: CheckId,
    pub state: CheckState,
    /// What was found, in a short phrase (no secret).
    pub detail: String,
    /// Why it failed, with the error's code (the UI shows its translated hint as the next step).
    pub problem: Option<ErrorPayload>,
    /// The next step when there is no error code for it (warnings).
    pub next_step: Option<String>,
}

impl Check {
    fn pass(id: CheckId, detail: impl Into<String>) -> Check {
        Check { id, state: CheckState::Pass, detail: detail.into(), problem: None, next_step: None }
    }

    fn warn(id: CheckId, detail: impl Into<String>, next_step: impl Into<String>) -> Check {
        let next_step = Some(next_step.into());
        Check { id, state: CheckState::Warn, detail: detail.into(), problem: None, next_step }
    }

    fn fail(id: CheckId, error: &Error) -> Check {
        let problem = Some(ErrorPayload::from(error));
        Check { id, state: CheckState::Fail, detail: error.message(), problem, next_step: None }
    }

    fn skipped(id: CheckId, why: impl Into<String>) -> Check {
        Check { id, state: CheckState::Skipped, detail: why.into(), problem: None, next_step: None }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DoctorReport {
    /// The address as checked (normalized when it parsed).
    pub server: String,
    pub checks: Vec<Check>,
    /// The report as text, to paste in a ticket to the server's administrator (redacted).
    pub text: String,
}

impl DoctorReport {
    /// Whether every check passed or only warned.
    pub fn healthy(&self) -> bool {
        self.checks.iter().all(|c| c.state != CheckState::Fail)
    }

    /// One line per check, with the next step; redacted.
    fn render(&self) -> String {
        let mut out = format!(
            "Phraseanet Desktop {} — connection report for {}\n",
            env!("CARGO_PKG_VERSION"),
            self.server
        );
        for c in &self.checks {
            let mark = match c.state {
                CheckState::Pass => "✔",
                CheckState::Warn => "!",
                CheckState::Fail => "✘",
                CheckState::Skipped => "–",
            };
            out.push_str(&format!("{mark} {}: {}\n", c.id.title(), c.detail));
            let next = c.problem.as_ref().and_then(|p| p.hint.clone()).or_else(|| c.next_step.clone());
            if let Some(next) = next.filter(|_| c.state != CheckState::Pass) {
                out.push_str(&format!("    Next step: {next}\n"));
            }
        }
        crate::redact(&out)
    }
}

/// Runs every check against `input.server`.
pub async fn diagnose(input: &DoctorInput, opts: &HttpOptions) -> DoctorReport {
    let mut checks = Vec::new();
    let server = match ServerUrl::parse(&input.server) {
        Ok(s) => {
            checks.push(Check::pass(CheckId::Address, s.as_str()));
            s
        }
        Err(e) => {
            checks.push(Check::fail(CheckId::Address, &e));
            return finish(
                DoctorReport { server: input.server.trim().to_string(), checks, text: String::new() },
                None,
            );
        }
    };
    let report = |checks| DoctorReport { server: server.to_string(), checks, text: String::new() };
    let proxy = Some(probes::proxy(&server));
    let mut run = probes::Run::new(&server, opts, checks);
    if !run.reachable().await {
        return finish(report(run.into_checks()), proxy);
    }
    if !run.phraseanet().await {
        return finish(report(run.into_checks()), proxy);
    }
    run.token_endpoint().await;
    run.application(input).await;
    run.token(input).await;
    run.clock();
    finish(report(run.into_checks()), proxy)
}

fn finish(mut report: DoctorReport, proxy: Option<Check>) -> DoctorReport {
    let all = [
        CheckId::Address,
        CheckId::Dns,
        CheckId::Tls,
        CheckId::Phraseanet,
        CheckId::Api,
        CheckId::TokenTransport,
        CheckId::TokenEndpoint,
        CheckId::Application,
        CheckId::Token,
        CheckId::Clock,
    ];
    for id in all {
        if !report.checks.iter().any(|c| c.id == id) {
            report.checks.push(Check::skipped(id, "not checked: an earlier step failed"));
        }
    }
    report.checks.sort_by_key(|c| all.iter().position(|a| *a == c.id).unwrap_or(all.len()));
    report.checks.extend(proxy);
    report.text = report.render();
    report
}
