//! Test support: the *person's browser* in the OAuth out-of-band flow (api §2.2), over real HTTP.
//!
//! A [`Browser`] keeps cookies like a web browser (so a second authorize after sign-in goes straight to
//! the code page), sends a desktop User-Agent (mobile UAs get a template without the code, api §7.16),
//! follows redirects that stay on the same origin, and stops at any other one (a web app's callback, or
//! the `urn://ietf:wg:oauth:2.0:oob?error=...` error carrier), returning it as a [`Page`] with `location`.
//!
//! It reads pages the way a person would: the login form `#login-form` (hidden fields posted back to the
//! form's URL, `login`, `password`, `action_login`), the consent forms (`action_accept` 1 or 0), and the
//! code page: *the `value` of the `input` whose `name` is `authorize_token`*. It works against the double
//! and should work against a real Phraseanet (desktop templates, English or French).
//!
//! ```no_run
//! # async fn demo(sim: &phraseanet_sim::Sim) -> Result<(), phraseanet_sim::browser::BrowserError> {
//! use phraseanet_sim::browser::Browser;
//! let f = sim.fixtures();
//! let url = format!(
//!     "{}/api/oauthv2/authorize?response_type=code&client_id={}&redirect_uri=urn:ietf:wg:oauth:2.0:oob",
//!     sim.url(), f.desktop_app.client_id
//! );
//! let code = Browser::new().sign_in_and_get_code(&url, &f.login, &f.password).await?;
//! assert_eq!(code.len(), 32);
//! # Ok(()) }
//! ```

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::{redirect, Client, Method, Url};

mod html;
mod page;

pub use page::{Form, Page};

/// A desktop Chrome on Linux.
pub const DESKTOP_USER_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

const MAX_REDIRECTS: usize = 10;

/// What went wrong while playing the browser part.
#[derive(Debug)]
pub enum BrowserError {
    /// Transport failure, or a malformed URL.
    Http(String),
    /// The page that should hold the login form has none (e.g. an HTML error page for an unknown client).
    NoLoginForm(Box<Page>),
    /// Login refused: the server sent the login form again with `error=login`.
    LoginRejected(Box<Page>),
    /// The consent page appeared (the user revoked the app earlier). Use [`Browser::accept_consent`].
    ConsentRequired(Box<Page>),
    /// The flow left the server with a redirect (web app callback, or an OOB error carrier `urn://...`).
    Redirected { location: String, page: Box<Page> },
    /// The code page says "Fail" (e.g. `access_denied`, `unsupported_response_type`).
    OobError { error: String, page: Box<Page> },
    /// Something else came back.
    Unexpected(Box<Page>),
}

impl std::fmt::Display for BrowserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BrowserError::Http(e) => write!(f, "http error: {e}"),
            BrowserError::NoLoginForm(p) => write!(f, "no login form on {} (status {})", p.url, p.status),
            BrowserError::LoginRejected(_) => write!(f, "login rejected (error=login)"),
            BrowserError::ConsentRequired(_) => write!(f, "the consent page is shown"),
            BrowserError::Redirected { location, .. } => write!(f, "redirected away to {location}"),
            BrowserError::OobError { error, .. } => write!(f, "the code page reports an error: {error}"),
            BrowserError::Unexpected(p) => {
                write!(f, "unexpected page {} (status {}, title {:?})", p.url, p.status, p.title())
            }
        }
    }
}

impl std::error::Error for BrowserError {}

impl From<reqwest::Error> for BrowserError {
    fn from(e: reqwest::Error) -> Self {
        BrowserError::Http(e.to_string())
    }
}

/// A cookie-keeping HTTP client that acts like the person's browser.
#[derive(Clone)]
pub struct Browser {
    client: Client,
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

impl Browser {
    /// A fresh browser (empty cookie jar) with a desktop User-Agent.
    pub fn new() -> Browser {
        Browser::with_user_agent(DESKTOP_USER_AGENT)
    }

    pub fn with_user_agent(user_agent: &str) -> Browser {
        Browser::build(user_agent, None)
    }

    /// A desktop browser that also trusts `root_pem` (the double's certificate with TLS, [`crate::Sim::ca_pem`]).
    pub fn trusting(root_pem: &str) -> Browser {
        Browser::build(DESKTOP_USER_AGENT, Some(root_pem))
    }

    /// A desktop browser for `sim`: it trusts the double's certificate when TLS is on.
    pub fn for_sim(sim: &crate::Sim) -> Browser {
        Browser::build(DESKTOP_USER_AGENT, sim.ca_pem().as_deref())
    }

    fn build(user_agent: &str, root_pem: Option<&str>) -> Browser {
        let mut builder = Client::builder()
            .cookie_store(true)
            .redirect(redirect::Policy::none())
            .user_agent(user_agent)
            .timeout(Duration::from_secs(30));
        if let Some(pem) = root_pem {
            builder =
                builder.add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM"));
        }
        Browser { client: builder.build().expect("reqwest client") }
    }

    async fn request(
        &self,
        method: Method,
        url: &str,
        form: Option<&[(String, String)]>,
    ) -> Result<Page, BrowserError> {
        let mut current = Url::parse(url).map_err(|e| BrowserError::Http(format!("{url}: {e}")))?;
        let mut method = method;
        let mut form = form.map(|f| f.to_vec());
        for _ in 0..=MAX_REDIRECTS {
            let mut rb = self
                .client
                .request(method.clone(), current.clone())
                .header(ACCEPT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            if let Some(f) = &form {
                rb = rb.form(f);
            }
            let res = rb.send().await?;
            let status = res.status().as_u16();
            let headers = res.headers().clone();
            let location = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(|l| current.join(l).map(|u| u.to_string()).unwrap_or(l.to_string()));
            let body = res.text().await.unwrap_or_default();
            let page = Page { url: current.to_string(), status, location: None, headers, body };
            let Some(location) = location.filter(|_| (300..400).contains(&status)) else { return Ok(page) };
            match Url::parse(&location) {
                Ok(next)
                    if next.origin() == current.origin() && matches!(next.scheme(), "http" | "https") =>
                {
                    current = next;
                    method = Method::GET;
                    form = None;
                }
                _ => return Ok(Page { location: Some(location), ..page }),
            }
        }
        Err(BrowserError::Http(format!("too many redirects from {url}")))
    }

    /// GET `url`, following same-origin redirects.
    pub async fn open(&self, url: &str) -> Result<Page, BrowserError> {
        self.request(Method::GET, url, None).await
    }

    /// Submits `form` of `page` (action resolved against the page URL), with `overrides` replacing or
    /// adding fields, and the submit button whose id or name is `button` (the first one if None).
    pub async fn submit(
        &self,
        page: &Page,
        form: &Form,
        overrides: &[(&str, &str)],
        button: Option<&str>,
    ) -> Result<Page, BrowserError> {
        let mut fields = form.fields.clone();
        for (k, v) in overrides {
            match fields.iter_mut().find(|(name, _)| name == k) {
                Some(f) => f.1 = v.to_string(),
                None => fields.push((k.to_string(), v.to_string())),
            }
        }
        let chosen = match button {
            Some(b) => form
                .buttons
                .iter()
                .find(|(id, name, _)| id.as_deref() == Some(b) || name.as_deref() == Some(b)),
            None => form.buttons.first(),
        };
        if let Some((_, Some(name), value)) = chosen {
            fields.push((name.clone(), value.clone()));
        }
        let base = Url::parse(&page.url).map_err(|e| BrowserError::Http(e.to_string()))?;
        let target = match &form.action {
            Some(a) => base.join(a).map_err(|e| BrowserError::Http(e.to_string()))?,
            None => base,
        };
        if form.method == "post" {
            self.request(Method::POST, target.as_str(), Some(&fields)).await
        } else {
            let mut url = target;
            url.query_pairs_mut().clear().extend_pairs(&fields);
            self.request(Method::GET, url.as_str(), None).await
        }
    }

    /// Fills and submits the login form of `page`. Errors with `LoginRejected` when the server answers
    /// with the login page again (`error=login`).
    pub async fn log_in(&self, page: &Page, login: &str, password: &str) -> Result<Page, BrowserError> {
        let Some(form) = page.login_form() else {
            return Err(BrowserError::NoLoginForm(Box::new(page.clone())));
        };
        let next = self
            .submit(page, &form, &[("login", login), ("password", password)], Some("action_login"))
            .await?;
        if next.is_login_page() {
            return Err(BrowserError::LoginRejected(Box::new(next)));
        }
        Ok(next)
    }

    /// Opens `authorize_url` and signs in if the login form shows (skipped when this browser already has a
    /// session). Returns the page that follows: the code page, the consent page, or a redirect.
    pub async fn sign_in(
        &self,
        authorize_url: &str,
        login: &str,
        password: &str,
    ) -> Result<Page, BrowserError> {
        let page = self.open(authorize_url).await?;
        if page.is_login_page() {
            return self.log_in(&page, login, password).await;
        }
        Ok(page)
    }

    /// The whole person's part: open, sign in, read the code. Errors on the consent page
    /// (`ConsentRequired`), a redirect (`Redirected`), or a "Fail" code page (`OobError`).
    pub async fn sign_in_and_get_code(
        &self,
        authorize_url: &str,
        login: &str,
        password: &str,
    ) -> Result<String, BrowserError> {
        let page = self.sign_in(authorize_url, login, password).await?;
        code_of(page)
    }

    /// Like [`Browser::sign_in_and_get_code`], accepting the consent page if it shows.
    pub async fn sign_in_consent_and_get_code(
        &self,
        authorize_url: &str,
        login: &str,
        password: &str,
    ) -> Result<String, BrowserError> {
        let mut page = self.sign_in(authorize_url, login, password).await?;
        if page.is_consent_page() {
            page = self.accept_consent(&page).await?;
        }
        code_of(page)
    }

    /// Presses "Authorize" on the consent page.
    pub async fn accept_consent(&self, page: &Page) -> Result<Page, BrowserError> {
        self.consent(page, true).await
    }

    /// Presses "Do not authorize" on the consent page.
    pub async fn deny_consent(&self, page: &Page) -> Result<Page, BrowserError> {
        self.consent(page, false).await
    }

    async fn consent(&self, page: &Page, accept: bool) -> Result<Page, BrowserError> {
        let Some(form) = page.consent_form(accept) else {
            return Err(BrowserError::Unexpected(Box::new(page.clone())));
        };
        let button = form
            .buttons
            .iter()
            .find(|(_, n, _)| n.as_deref() == Some("action_accept"))
            .and_then(|b| b.1.clone());
        self.submit(page, &form, &[], button.as_deref()).await
    }

    /// The underlying HTTP client (shares this browser's cookies).
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// Reads the code off a page, or explains why there is none.
pub fn code_of(page: Page) -> Result<String, BrowserError> {
    if let Some(location) = page.location.clone() {
        return Err(BrowserError::Redirected { location, page: Box::new(page) });
    }
    if page.is_consent_page() {
        return Err(BrowserError::ConsentRequired(Box::new(page)));
    }
    let is_fail = page.title().is_some_and(|t| t.trim().eq_ignore_ascii_case("fail"));
    match page.authorize_token() {
        Some(code) if !code.is_empty() && !is_fail => Ok(code),
        Some(_) => {
            let error = oob_error_text(&page).unwrap_or_else(|| "unknown error".into());
            Err(BrowserError::OobError { error, page: Box::new(page) })
        }
        None => Err(BrowserError::Unexpected(Box::new(page))),
    }
}

/// The error string of a "Fail" code page (`<div id="main-text-box"><p>access_denied</p>`).
fn oob_error_text(page: &Page) -> Option<String> {
    let tags = html::tags(&page.body);
    let boxed = tags.iter().position(|t| !t.closing && t.attr("id") == Some("main-text-box"))?;
    let p = tags[boxed..].iter().find(|t| !t.closing && t.name == "p")?;
    let end = tags.iter().find(|t| t.closing && t.name == "p" && t.start >= p.end)?;
    Some(html::decode_entities(page.body[p.end..end.start].trim()))
}

/// The `Content-Type` of a page, lowercased.
pub fn content_type(page: &Page) -> Option<String> {
    page.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(|s| s.to_ascii_lowercase())
}
