//! Test support: the helpers every test crate of the workspace needs around the double, in one place
//! (feature `test-support`, like [`crate::browser`]): authorize URLs, the person's part of the OOB flow,
//! a plain HTTP client, and listings of what a test wrote to disk. E.g. the code of the desktop app's
//! out-of-band sign-in: `oob_code(&sim, &desktop_authorize_url(&sim)).await`.

use std::path::{Path, PathBuf};

use crate::browser::{Browser, BrowserError};
use crate::{Sim, OOB_REDIRECT_URI};

/// A client that never follows redirects and keeps no cookies.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The double's authorize page for `client_id` and `redirect_uri` (both form-encoded), then `extra` as
/// given (e.g. `"&state=s1"`, or `""`). Built here, not by [`Sim::authorize_url`], so tests can compare
/// the two.
pub fn authorize_url(sim: &Sim, client_id: &str, redirect_uri: &str, extra: &str) -> String {
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .finish();
    format!("{}/api/oauthv2/authorize?{q}{extra}", sim.url())
}

/// The authorize page of the double's desktop app, with the out-of-band redirect.
pub fn desktop_authorize_url(sim: &Sim) -> String {
    authorize_url(sim, &sim.fixtures().desktop_app.client_id, OOB_REDIRECT_URI, "")
}

/// Plays the person: in a fresh browser (trusting the double's certificate when TLS is on), the double's
/// main user opens `authorize_url`, logs in, and the code on the OOB page is returned.
pub async fn try_oob_code(sim: &Sim, authorize_url: &str) -> Result<String, BrowserError> {
    let f = sim.fixtures();
    Browser::for_sim(sim).sign_in_and_get_code(authorize_url, &f.login, &f.password).await
}

/// [`try_oob_code`], panicking when no code shows.
pub async fn oob_code(sim: &Sim, authorize_url: &str) -> String {
    try_oob_code(sim, authorize_url).await.unwrap_or_else(|e| panic!("the browser gets a code: {e:?}"))
}

/// Like [`oob_code`] for another account, e.g. the desktop app's demo server (whose login and password
/// the app shows): a fresh browser signs in as `login` on `authorize_url` and reads the code.
pub async fn oob_code_as(authorize_url: &str, login: &str, password: &str) -> String {
    Browser::new()
        .sign_in_and_get_code(authorize_url, login, password)
        .await
        .unwrap_or_else(|e| panic!("the browser gets a code: {e:?}"))
}

/// Every file under `dir`, recursively, sorted. Links are listed, not followed; a folder that cannot be
/// Plays the person's browser for a loopback sign-in as `login`: signs in on `authorize_url` and follows
/// the server's redirect back to the app's listener. Returns the callback URL and the page the app
/// answered with.
pub async fn come_back_as(
    sim: Option<&Sim>,
    authorize_url: &str,
    login: &str,
    password: &str,
) -> (String, String) {
    let browser = sim.map(Browser::for_sim).unwrap_or_default();
    let page = browser.sign_in(authorize_url, login, password).await.expect("the browser signs in");
    let back = page.location.expect("the server redirects back to the app");
    let answer = http().get(&back).send().await.expect("the app's listener answers");
    (back, answer.text().await.unwrap_or_default())
}

/// [`come_back_as`] with the fixture user.
pub async fn come_back(sim: &Sim, authorize_url: &str) -> (String, String) {
    let f = sim.fixtures();
    come_back_as(Some(sim), authorize_url, &f.login, &f.password).await
}

/// read (or `dir` missing) adds nothing.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() && !p.is_symlink() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The entries of `dir` (files, folders, links), not recursive, sorted: what landed directly in it.
/// Panics when `dir` cannot be read.
pub fn entries(dir: &Path) -> Vec<PathBuf> {
    let read = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut out: Vec<PathBuf> = read.map(|e| e.unwrap().path()).collect();
    out.sort();
    out
}
