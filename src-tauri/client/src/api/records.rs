//! Records and stories: their views, captions, status, related (api §5).

use reqwest::Method;

use super::{Api, RecordRef, Request, EXTENDED_RECORD};
use crate::error::{Error, Result};
use crate::models::*;

impl Api {
    // --- records ---

    pub async fn record(&self, r: RecordRef) -> Result<Record> {
        Ok(self.get::<RecordResponse>(&format!("records/{}", r.path()), &[]).await?.record)
    }

    /// The record with its sub-definitions, caption, status and metadata in one call (api §4 "Extended
    /// records"), and whether they came: a proxy that rewrote `Accept`, or a server that ignores it,
    /// answers the plain record, and then `record_caption`, `record_status` and `record_embed` are
    /// needed. The vnd type goes alone: the server's negotiator would pick `application/json` first
    /// (docs/real-servers.md, "Extended records"). Its caption includes the business fields the user may
    /// see, which `/caption/` leaves out.
    pub async fn record_extended(&self, r: RecordRef) -> Result<(Record, bool)> {
        let route = format!("records/{}", r.path());
        let mut req = Request::new(Method::GET, &route, Vec::new(), None);
        req.accept = EXTENDED_RECORD;
        let answer: serde_json::Value = self.call(req).await?;
        let fields = &answer["record"];
        let extended =
            ["subdefs", "caption", "status"].iter().all(|k| fields.get(k).is_some_and(|v| v.is_array()));
        let record: RecordResponse =
            serde_json::from_value(answer).map_err(|e| Error::Decode(format!("record: {e}")))?;
        Ok((record.record, extended))
    }

    /// Sub-definitions with fresh signed URLs; `url_ttl` in seconds when given.
    pub async fn record_embed(&self, r: RecordRef, url_ttl: Option<i64>) -> Result<Vec<Subdef>> {
        let query: Vec<(&str, String)> =
            url_ttl.map(|t| ("subdef_url_ttl", t.to_string())).into_iter().collect();
        Ok(self.get::<EmbedResponse>(&format!("records/{}/embed", r.path()), &query).await?.embed)
    }

    pub async fn record_caption(&self, r: RecordRef) -> Result<Vec<CaptionField>> {
        Ok(self
            .get::<CaptionResponse>(&format!("records/{}/caption", r.path()), &[])
            .await?
            .caption_metadatas)
    }

    pub async fn record_metadatas(&self, r: RecordRef) -> Result<Vec<MetadataValue>> {
        Ok(self
            .get::<MetadatasResponse>(&format!("records/{}/metadatas", r.path()), &[])
            .await?
            .record_metadatas)
    }

    pub async fn record_status(&self, r: RecordRef) -> Result<Vec<StatusBit>> {
        Ok(self.get::<StatusResponse>(&format!("records/{}/status", r.path()), &[]).await?.status)
    }

    pub async fn record_related(&self, r: RecordRef) -> Result<Related> {
        self.get(&format!("records/{}/related", r.path()), &[]).await
    }

    // --- stories ---

    pub async fn story(&self, r: RecordRef) -> Result<Story> {
        let story = self.get_heavy::<StoryResponse>(&format!("stories/{}", r.path()), &[], None).await?.story;
        // api §7.12: a plain record id answers 200 with {"story":{"headers":{}}}.
        if story.story_id == 0 {
            return Err(Error::NotAStory(format!("record {} is not a story", r.path())));
        }
        Ok(story)
    }

    pub async fn story_embed(&self, r: RecordRef) -> Result<Vec<Subdef>> {
        Ok(self.get::<EmbedResponse>(&format!("stories/{}/embed", r.path()), &[]).await?.embed)
    }
}
