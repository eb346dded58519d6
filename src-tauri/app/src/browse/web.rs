//! "Open in Phraseanet": the server's own page for a basket or a record, built here so the UI never
//! composes server URLs. A basket opens in the Lightbox (`/lightbox/validate/{id}/` for a vote basket,
//! `/lightbox/compare/{id}/` otherwise: `ControllerProvider/Lightbox.php` mounts both). A record has no
//! page of its own in Phraseanet's web apps; its preview's permalink page is the closest (api §6
//! Permalink), else the Prod app's home.

use phraseanet_client::{RecordRef, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::baskets::lightbox_url;
use crate::Desktop;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[ts(export)]
pub enum WebTarget {
    Record { databox_id: i64, record_id: i64 },
    Basket { basket_id: i64 },
}

impl Desktop {
    /// The page of `target` on the profile's server. Reads what was already seen (the basket list, the
    /// record panel) before asking the server.
    pub async fn phraseanet_url(&self, profile: &str, target: WebTarget) -> Result<String> {
        let server = self.profile(profile)?.server;
        let server = server.trim_end_matches('/');
        match target {
            WebTarget::Basket { basket_id } => {
                let vote = self
                    .cached_baskets(profile)
                    .await
                    .and_then(|list| list.value.into_iter().find(|b| b.info.id == basket_id))
                    .is_some_and(|b| b.vote.is_some());
                Ok(if vote {
                    lightbox_url(server, basket_id)
                } else {
                    format!("{server}/lightbox/compare/{basket_id}/")
                })
            }
            WebTarget::Record { databox_id, record_id } => {
                let r = RecordRef::new(databox_id, record_id);
                let details = match self.cached_record(profile, r).await {
                    Some(saved) => saved.value,
                    None => self.record(profile, r, None).await?,
                };
                let page = details
                    .subdefs
                    .iter()
                    .filter(|s| s.name == "preview" || s.name == "document")
                    .filter_map(|s| s.permalink.as_ref())
                    .find(|p| p.is_activated && same_origin(&p.page_url, server))
                    .map(|p| p.page_url.clone());
                Ok(page.unwrap_or_else(|| format!("{server}/prod/")))
            }
        }
    }
}

/// Only a page on the profile's own server is opened: a permalink is server text.
fn same_origin(url: &str, server: &str) -> bool {
    match (url::Url::parse(url), url::Url::parse(server)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin() && matches!(a.scheme(), "https" | "http"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_the_server_itself() {
        assert!(same_origin(
            "https://dam.example.org/permalink/v1/1/2/preview/?token=x",
            "https://dam.example.org"
        ));
        assert!(!same_origin("https://evil.example/permalink", "https://dam.example.org"));
        assert!(!same_origin("javascript:alert(1)", "https://dam.example.org"));
    }

    #[test]
    fn targets_are_tagged_for_the_ui() {
        let t: WebTarget = serde_json::from_str(r#"{"kind":"record","databox_id":1,"record_id":2}"#).unwrap();
        assert_eq!(t, WebTarget::Record { databox_id: 1, record_id: 2 });
    }
}
