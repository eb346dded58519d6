//! Server addresses: normalization, the plain-http gate, and same-origin checks for the auth header.

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::error::{Error, Result};

/// The normalized root of a Phraseanet site: scheme, host, port and an optional base path, no trailing slash,
/// no query, no credentials.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ServerUrl {
    base: Url,
}

impl ServerUrl {
    /// Parses what a person typed. A missing scheme means https. `http://` is accepted only for loopback
    /// hosts: anything else would carry the client secret and the token in clear.
    pub fn parse(input: &str) -> Result<ServerUrl> {
        let input = input.trim();
        if input.is_empty() {
            return Err(Error::InvalidUrl("the address is empty".into()));
        }
        let with_scheme = if input.contains("://") { input.to_string() } else { format!("https://{input}") };
        let mut url = Url::parse(&with_scheme).map_err(|e| Error::InvalidUrl(format!("{input}: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" => {
                if !is_loopback(&url) {
                    return Err(Error::InsecureHttp(url.host_str().unwrap_or_default().to_string()));
                }
            }
            other => return Err(Error::InvalidUrl(format!("unsupported scheme {other:?}"))),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::InvalidUrl(format!("{input}: no host")));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::InvalidUrl("the address must not contain a login or password".into()));
        }
        url.set_query(None);
        url.set_fragment(None);
        // People paste the API or a page URL: keep only the site root.
        let mut path = url.path().trim_end_matches('/').to_string();
        for cut in ["/api/v1", "/api/oauthv2", "/api", "/login", "/prod"] {
            if let Some(i) = path.find(cut) {
                if path[i + cut.len()..].is_empty() || path[i + cut.len()..].starts_with('/') {
                    path.truncate(i);
                    break;
                }
            }
        }
        url.set_path(&path);
        Ok(ServerUrl { base: url })
    }

    /// `https://host[:port][/base]`, no trailing slash.
    pub fn as_str(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// An absolute URL for a server path such as `/api/v1/me/`.
    pub fn join(&self, path: &str) -> Url {
        let s = format!("{}/{}", self.as_str(), path.trim_start_matches('/'));
        Url::parse(&s).expect("a valid base joined with a path stays valid")
    }

    /// A v1 API URL, always with the trailing slash the routes are declared with (api §1).
    pub fn api_v1(&self, route: &str) -> Url {
        let route = route.trim_matches('/');
        self.join(&format!("api/v1/{route}/"))
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.base)
    }

    /// True when `url` has the same scheme, host and port: only then may the token travel with it.
    pub fn same_origin(&self, url: &Url) -> bool {
        self.base.origin() == url.origin()
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerUrl({})", self.as_str())
    }
}

/// Loopback IP literals, or exactly `localhost`. Not `*.localhost`: whether such a name resolves to
/// loopback depends on the resolver, and a hostile one could send the token elsewhere in clear
///.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Refuses to send a secret over plain http to anything but loopback (used before every token request).
pub fn check_secure(url: &Url) -> Result<()> {
    if url.scheme() == "https" || (url.scheme() == "http" && is_loopback(url)) {
        Ok(())
    } else {
        Err(Error::InsecureHttp(url.host_str().unwrap_or_default().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_trailing_slashes_and_paths() {
        for input in [
            "https://dam.example.org",
            "https://dam.example.org/",
            "https://dam.example.org//",
            " dam.example.org ",
            "https://dam.example.org/api/v1/",
            "https://dam.example.org/api/oauthv2/authorize?client_id=x",
            "https://dam.example.org/prod/#x",
        ] {
            let u = ServerUrl::parse(input).unwrap();
            assert_eq!(u.as_str(), "https://dam.example.org", "{input}");
        }
        let u = ServerUrl::parse("https://example.org/phraseanet/").unwrap();
        assert_eq!(u.as_str(), "https://example.org/phraseanet");
        assert_eq!(u.api_v1("me").as_str(), "https://example.org/phraseanet/api/v1/me/");
        assert_eq!(
            u.api_v1("/baskets/list/").as_str(),
            "https://example.org/phraseanet/api/v1/baskets/list/"
        );
    }

    #[test]
    fn http_only_for_loopback() {
        for ok in ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:3000", "http://127.1.2.3"] {
            assert!(ServerUrl::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(ServerUrl::parse("http://dam.localhost").unwrap_err().code(), "insecure-http");
        let err = ServerUrl::parse("http://dam.example.org").unwrap_err();
        assert_eq!(err.code(), "insecure-http");
        assert!(err.to_string().contains("in clear"));
        assert_eq!(ServerUrl::parse("http://10.0.0.1").unwrap_err().code(), "insecure-http");
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "   ", "ftp://x.org", "https://user:pw@x.org", "https://"] {
            assert!(ServerUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn same_origin_compares_scheme_host_port() {
        let u = ServerUrl::parse("https://dam.example.org").unwrap();
        assert!(u.same_origin(&Url::parse("https://dam.example.org/medias/x").unwrap()));
        assert!(u.same_origin(&Url::parse("https://dam.example.org:443/x").unwrap()));
        assert!(!u.same_origin(&Url::parse("http://dam.example.org/x").unwrap()));
        assert!(!u.same_origin(&Url::parse("https://cdn.example.org/x").unwrap()));
        assert!(!u.same_origin(&Url::parse("https://dam.example.org:8443/x").unwrap()));
    }
}
