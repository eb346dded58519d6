//! What the browser reads off a page: title, forms, the code field, redirect parameters.

use reqwest::header::HeaderMap;
use reqwest::Url;

use super::html;

/// One loaded page (or the redirect where the browser stopped).
#[derive(Debug, Clone)]
pub struct Page {
    /// URL of the last request.
    pub url: String,
    pub status: u16,
    /// Absolute `Location` when the browser stopped on a redirect it did not follow.
    pub location: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

/// A `<form>` of a page, with its submittable fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub id: Option<String>,
    pub class: Option<String>,
    /// Lowercase; `get` when absent.
    pub method: String,
    /// `None`: posts back to the page URL (the login form has no action, api §2.2).
    pub action: Option<String>,
    /// Named `input`s in order (unchecked checkboxes/radios and buttons excluded).
    pub fields: Vec<(String, String)>,
    /// Submit buttons: (id, name, value).
    pub buttons: Vec<(Option<String>, Option<String>, String)>,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Page {
    /// `<title>` text ("Success" / "Fail" on the code page).
    pub fn title(&self) -> Option<String> {
        html::title(&self.body)
    }

    /// Value of the `input` named `authorize_token` (None when the page has no such input).
    pub fn authorize_token(&self) -> Option<String> {
        html::tags(&self.body)
            .into_iter()
            .find(|t| !t.closing && t.name == "input" && t.attr("name") == Some("authorize_token"))
            .map(|t| t.attr("value").unwrap_or("").to_string())
    }

    /// All forms of the page.
    pub fn forms(&self) -> Vec<Form> {
        let tags = html::tags(&self.body);
        let mut forms = Vec::new();
        let mut current: Option<Form> = None;
        for t in tags {
            match (t.name.as_str(), t.closing) {
                ("form", false) => {
                    current = Some(Form {
                        id: t.attr("id").map(String::from),
                        class: t.attr("class").map(String::from),
                        method: t.attr("method").unwrap_or("get").to_ascii_lowercase(),
                        action: t.attr("action").filter(|a| !a.is_empty()).map(String::from),
                        fields: Vec::new(),
                        buttons: Vec::new(),
                    })
                }
                ("form", true) => forms.extend(current.take()),
                ("input", false) | ("button", false) => {
                    let Some(form) = current.as_mut() else { continue };
                    let kind = t.attr("type").unwrap_or(if t.name == "button" { "submit" } else { "text" });
                    let kind = kind.to_ascii_lowercase();
                    let value = t.attr("value").unwrap_or("").to_string();
                    if kind == "submit" || kind == "image" {
                        form.buttons.push((
                            t.attr("id").map(String::from),
                            t.attr("name").map(String::from),
                            value,
                        ));
                        continue;
                    }
                    let inert = matches!(kind.as_str(), "button" | "reset" | "file")
                        || ((kind == "checkbox" || kind == "radio") && t.attr("checked").is_none());
                    if let Some(name) = t.attr("name").filter(|n| !n.is_empty() && !inert) {
                        form.fields.push((name.to_string(), value));
                    }
                }
                _ => {}
            }
        }
        forms.extend(current);
        forms
    }

    /// The login form (`#login-form`, or any form with a `password` input).
    pub fn login_form(&self) -> Option<Form> {
        let forms = self.forms();
        forms
            .iter()
            .find(|f| f.id.as_deref() == Some("login-form"))
            .or_else(|| forms.iter().find(|f| f.field("password").is_some()))
            .cloned()
    }

    /// The consent form that posts `action_accept=<accept>`.
    pub fn consent_form(&self, accept: bool) -> Option<Form> {
        let want = if accept { "1" } else { "0" };
        self.forms().into_iter().find(|f| {
            f.field("action_accept") == Some(want)
                || f.buttons.iter().any(|(_, n, v)| n.as_deref() == Some("action_accept") && v == want)
        })
    }

    pub fn is_login_page(&self) -> bool {
        self.status == 200 && self.login_form().is_some()
    }

    pub fn is_consent_page(&self) -> bool {
        self.status == 200 && self.consent_form(true).is_some()
    }

    /// The login page shows the "Login / Password error" alert (URL has `error=login`).
    pub fn has_login_error(&self) -> bool {
        Url::parse(&self.url).is_ok_and(|u| u.query_pairs().any(|(k, v)| k == "error" && v == "login"))
    }

    /// A query or fragment parameter of the redirect location (e.g. `code`, `error`, `state`).
    pub fn location_param(&self, name: &str) -> Option<String> {
        let loc = self.location.as_ref()?;
        let (_, rest) = loc.split_once(['?', '#'])?;
        rest.split(['&', '#']).filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| {
            form_urlencoded::parse(format!("x={v}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
    }
}
