//! One media GET as real servers need it (docs/real-servers.md, "Media"):
//!
//! * the token only to the profile's origin, and never in parameter mode (the signed `/medias/` URL or
//!   the permalink token suffices; a 4.0 permalink would refuse the header, Permalink.php:73);
//! * on an https profile, same-host `http://` URLs are upgraded: behind a TLS proxy Phraseanet builds
//!   absolute URLs from the request scheme it sees (MediaSubDefinitionUrlGenerator.php:76,113); other
//!   plain-http media are refused except on loopback;
//! * up to 3 same-host redirects;
//! * 429 (nginx `limit_req` on media routes) and 503 wait for `Retry-After` (or back off) and retry.

use reqwest::header::{ACCEPT, AUTHORIZATION, LOCATION};
use reqwest::{RequestBuilder, StatusCode};
use url::Url;

use crate::api::Api;
use crate::error::{Error, Result};
use crate::http::{map_reqwest, retry_after};
use crate::profile::TokenTransport;
use crate::url::check_secure;

const MAX_REDIRECTS: usize = 3;

/// The URL to fetch a media from, or why not.
pub(crate) fn media_url(api: &Api, raw: &str) -> Result<Url> {
    let mut url = Url::parse(raw).map_err(|_| Error::Decode("a media URL is not a valid URL".into()))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(Error::Decode("a media URL is not http(s)".into()));
    }
    let server = api.server().join("");
    let same_host = url.host_str().is_some_and(|h| Some(h) == server.host_str());
    if url.scheme() == "http" && server.scheme() == "https" && same_host {
        // Port 80 (or the server's own port, when the proxy forwards it) becomes the server's https port.
        if url.port().is_none() || url.port() == server.port() {
            url.set_scheme("https").map_err(|_| Error::Decode("cannot upgrade a media URL".into()))?;
            url.set_port(server.port()).map_err(|_| Error::Decode("cannot upgrade a media URL".into()))?;
        }
    }
    check_secure(&url)?;
    Ok(url)
}

fn get(
    api: &Api,
    url: &Url,
    extra: &(dyn Fn(RequestBuilder) -> RequestBuilder + Send + Sync),
) -> RequestBuilder {
    let mut req = api.media_client().get(url.clone()).header(ACCEPT, "*/*");
    if api.transport() == TokenTransport::Header && api.server().same_origin(url) {
        let mut value = reqwest::header::HeaderValue::from_str(&format!("OAuth {}", api.token().expose()))
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("OAuth -"));
        value.set_sensitive(true);
        req = req.header(AUTHORIZATION, value);
    }
    extra(req)
}

/// Sends the GET (with what `extra` adds, e.g. a Range) and returns the first non-redirect, non-429
/// answer, whatever its status. The wait for the answer's head is the light-call budget.
pub(crate) async fn media_get(
    api: &Api,
    raw: &str,
    extra: &(dyn Fn(RequestBuilder) -> RequestBuilder + Send + Sync),
) -> Result<reqwest::Response> {
    let opts = api.options();
    let mut url = media_url(api, raw)?;
    let mut redirects = 0;
    let mut waits = 0;
    loop {
        let resp = match tokio::time::timeout(opts.first_byte, get(api, &url, extra).send()).await {
            Err(_) => return Err(Error::Timeout),
            Ok(r) => r.map_err(map_reqwest)?,
        };
        let status = resp.status();
        if status.is_redirection() && redirects < MAX_REDIRECTS {
            let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
            let target =
                url.join(location).map_err(|_| Error::Decode("a media redirect is invalid".into()))?;
            if target.host_str() != url.host_str() {
                return Err(Error::Redirected(format!(
                    "{} (another host)",
                    target.host_str().unwrap_or("?")
                )));
            }
            url = media_url(api, target.as_str())?;
            redirects += 1;
            continue;
        }
        if matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE)
            && waits < opts.retries.max(4)
        {
            let pause = match retry_after(resp.headers()) {
                Some(wait) if wait > opts.max_retry_after => return Err(Error::RateLimited),
                Some(wait) => wait,
                None => opts.backoff * 2u32.saturating_pow(waits),
            };
            tracing::debug!(?pause, status = status.as_u16(), "media: the server asks to wait");
            tokio::time::sleep(pause).await;
            waits += 1;
            continue;
        }
        return Ok(resp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::ServerUrl;
    use crate::vault::Secret;

    fn api(server: &str) -> Api {
        Api::new(ServerUrl::parse(server).unwrap(), Secret::new("t")).unwrap()
    }

    #[test]
    fn same_host_http_is_upgraded_on_https_profiles_and_other_http_refused() {
        let a = api("https://dam.example.org");
        let up = media_url(&a, "http://dam.example.org/medias/abc?x=1").unwrap();
        assert_eq!(up.as_str(), "https://dam.example.org/medias/abc?x=1");
        let a8443 = api("https://dam.example.org:8443");
        assert_eq!(
            media_url(&a8443, "http://dam.example.org/m").unwrap().as_str(),
            "https://dam.example.org:8443/m"
        );
        assert_eq!(
            media_url(&a8443, "http://dam.example.org:8443/m").unwrap().as_str(),
            "https://dam.example.org:8443/m"
        );
        // Another port on the same host is another service: not guessed, refused in clear.
        assert_eq!(media_url(&a, "http://dam.example.org:8080/m").unwrap_err().code(), "insecure-http");
        assert_eq!(media_url(&a, "http://cdn.example.org/m").unwrap_err().code(), "insecure-http");
        assert!(media_url(&a, "https://cdn.example.org/m").is_ok());
        assert!(media_url(&api("http://127.0.0.1:8080"), "http://127.0.0.1:8080/m").is_ok());
        assert_eq!(media_url(&a, "ftp://dam.example.org/m").unwrap_err().code(), "decode");
    }
}
