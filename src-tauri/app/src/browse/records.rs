//! The record panel (`/records/…/`, `/caption/`, `/status/`, `/embed/`, `/me/` for status labels) and
//! stories (`/stories/…/`).

use std::collections::BTreeMap;

use phraseanet_client::models::{Me, Record, StatusBit, Subdef};
use phraseanet_client::{Error, RecordRef, Result};

use super::baskets::{summary, vote_entries};
use super::grid::{clamp_u32, grid_item, kind_of, story_item, thumb_size};
use super::models::*;
use super::views::View;
use crate::Desktop;

fn pick_label(labels: &BTreeMap<String, String>, lang: &str) -> Option<String> {
    labels
        .get(lang)
        .or_else(|| labels.get("en"))
        .or_else(|| labels.values().next())
        .filter(|l| !l.is_empty())
        .cloned()
}

/// Status bits with their labels: `/me/` lists each collection's status definitions (api §6
/// UserCollectionGrant); the record's `base_id` picks the collection.
fn status_flags(bits: &[StatusBit], me: &Me, base_id: i64) -> Vec<StatusFlag> {
    let lang = me.user.locale.as_deref().unwrap_or("en").split(['_', '-']).next().unwrap_or("en");
    let defs =
        me.collections.iter().find(|c| c.base_id == base_id).map(|c| c.statuses.as_slice()).unwrap_or(&[]);
    bits.iter()
        .map(|b| {
            let def = defs.iter().find(|d| d.position == b.bit);
            let on_label = def.and_then(|d| pick_label(&d.labels.on, lang));
            let off_label = def.and_then(|d| pick_label(&d.labels.off, lang));
            StatusFlag {
                bit: clamp_u32(b.bit),
                state: b.state,
                label: if b.state { on_label.clone() } else { off_label.clone() },
                on_label,
                off_label,
            }
        })
        .collect()
}

/// From the player type (api §6) first, then the mime type.
fn plays(sd: &Subdef) -> Plays {
    let player = sd.player_type.to_ascii_uppercase();
    let mime = sd.mime_type.as_deref().unwrap_or("").to_ascii_lowercase();
    if player == "PDF" || mime == "application/pdf" {
        Plays::Pdf
    } else if player.starts_with("VIDEO") || mime.starts_with("video/") {
        Plays::Video
    } else if player.starts_with("AUDIO") || mime.starts_with("audio/") {
        Plays::Audio
    } else if player == "IMAGE" || mime.starts_with("image/") {
        Plays::Image
    } else {
        Plays::None
    }
}

pub(crate) fn subdef_info(r: RecordRef, sd: &Subdef) -> SubdefInfo {
    SubdefInfo {
        plays: plays(sd),
        name: sd.name.clone(),
        width: clamp_u32(sd.width),
        height: clamp_u32(sd.height),
        filesize: sd.filesize.max(0) as u64,
        mime: sd.mime_type.clone(),
        player_type: sd.player_type.clone(),
        path: format!("sub/{}/{}/{}", r.databox_id, r.record_id, sd.name),
        permalink: sd.permalink.as_ref().map(|p| PermalinkInfo {
            page_url: p.page_url.clone(),
            url: p.url.clone(),
            download_url: p.download_url.clone(),
            is_activated: p.is_activated,
        }),
    }
}

impl Desktop {
    /// The record panel. `element` (a basket element the record was opened from) adds its votes when
    /// the basket is a vote basket (from the last load of that basket, reloaded if needed).
    pub async fn record(
        &self,
        profile: &str,
        r: RecordRef,
        element: Option<ElementRef>,
    ) -> Result<RecordDetails> {
        let state = self.browse_state(profile)?;
        let loaded = async {
            let ((mut record, extended), me) = tokio::try_join!(state.api.record_extended(r), state.me())?;
            if extended && !record.looks_like_story() {
                // One call instead of four (api §4 "Extended records").
                let caption = std::mem::take(&mut record.caption);
                let status = std::mem::take(&mut record.status);
                let embed = state.keep_embed(r, std::mem::take(&mut record.subdefs));
                return Ok::<_, Error>((record, caption, status, embed, me));
            }
            let story = record.looks_like_story();
            let (caption, status, embed) = tokio::try_join!(
                state.api.record_caption(r),
                async {
                    if story {
                        Ok(Vec::new())
                    } else {
                        state.api.record_status(r).await
                    }
                },
                state.embed(r, story),
            )?;
            Ok((record, caption, status, embed, me))
        }
        .await;
        let (record, caption, status, embed, me) = loaded?;
        // A story whose type was edited in Prod no longer looks like one (docs/real-servers.md,
        // "Story detection"); it still has no document: only then ask `/stories/`, which answers an empty
        // story for a plain record.
        let maybe_story = !record.looks_like_story() && !embed.iter().any(|s| s.name == "document");
        let edited_story = maybe_story
            && match state.api.story(r).await {
                Ok(_) => true,
                Err(Error::NotAStory(_) | Error::NotFound(_) | Error::Forbidden(_)) => false,
                Err(e) => return Err(e),
            };
        if let Some(t) = record.thumbnail.as_ref() {
            state.index(r, t);
        }
        let votes = match element {
            Some(e) => self.element_votes(profile, e).await?,
            None => Vec::new(),
        };
        let mut view = details(r, record, caption, &status, &embed, &me, votes);
        if edited_story {
            view.kind = MediaKind::Story;
        }
        self.keep_view(profile, View::Record(r), &view);
        self.keep_media(profile, View::RecordMedia(r), &[r]);
        Ok(view)
    }

    async fn element_votes(&self, profile: &str, e: ElementRef) -> Result<Vec<VoteEntry>> {
        let state = self.browse_state(profile)?;
        let votes = match state.votes(e.basket_id) {
            Some(v) => v,
            None => {
                let content = state.api.basket(e.basket_id).await?;
                if !content.basket.validation_basket {
                    state.set_votes(e.basket_id, Default::default());
                    return Ok(Vec::new());
                }
                let all =
                    content.basket_elements.iter().map(|x| (x.basket_element_id, vote_entries(x))).collect();
                state.set_votes(e.basket_id, all);
                state.votes(e.basket_id).unwrap_or_default()
            }
        };
        Ok(votes.get(&e.element_id).cloned().unwrap_or_default())
    }

    /// Where the record is used: the user's baskets holding it, the stories containing it.
    pub async fn related(&self, profile: &str, r: RecordRef) -> Result<RelatedView> {
        let state = self.browse_state(profile)?;
        let (related, me) = tokio::try_join!(state.api.record_related(r), state.me())?;
        let me = me.user.id;
        state.index_thumbnails(
            related
                .stories
                .iter()
                .filter_map(|s| Some((RecordRef::new(s.databox_id, s.story_id), s.thumbnail.as_ref()?))),
        );
        Ok(RelatedView {
            record: r,
            baskets: related.baskets.iter().map(|b| summary(&state, b, me)).collect(),
            stories: related.stories.iter().map(story_item).collect(),
        })
    }

    /// A story and its records (api §5 Stories). Title: `dc:title`, else the first caption value, else
    /// the story's record title.
    pub async fn story(&self, profile: &str, r: RecordRef) -> Result<StoryView> {
        let state = self.browse_state(profile)?;
        let story = state.api.story(r).await?;
        let title = match story.title().filter(|t| !t.trim().is_empty()) {
            Some(t) => t.to_string(),
            None => {
                let caption = state.api.record_caption(r).await?;
                match caption.into_iter().find_map(|c| c.value.filter(|v| !v.trim().is_empty())) {
                    Some(v) => v,
                    None => state.api.record(r).await?.title,
                }
            }
        };
        if let Some(t) = story.thumbnail.as_ref() {
            state.index(r, t);
        }
        state.index_thumbnails(
            story.records.iter().filter_map(|c| Some((RecordRef::from(c), c.thumbnail.as_ref()?))),
        );
        Ok(StoryView {
            story: r,
            title,
            thumb: thumb_size(story.thumbnail.as_ref()),
            records: story.records.iter().map(|c| grid_item(c, None)).collect(),
        })
    }
}

fn details(
    r: RecordRef,
    record: Record,
    caption: Vec<phraseanet_client::models::CaptionField>,
    status: &[StatusBit],
    embed: &[Subdef],
    me: &Me,
    votes: Vec<VoteEntry>,
) -> RecordDetails {
    RecordDetails {
        record: r,
        kind: kind_of(&record),
        status: status_flags(status, me, record.base_id),
        subdefs: embed.iter().map(|sd| subdef_info(r, sd)).collect(),
        caption: caption.into_iter().map(|c| CaptionLine { name: c.name, value: c.value }).collect(),
        title: record.title,
        original_name: record.original_name,
        mime: record.mime_type,
        phrasea_type: record.phrasea_type,
        created_on: record.created_on,
        updated_on: record.updated_on,
        base_id: record.base_id,
        collection_id: record.collection_id,
        sha256: record.sha256,
        technical: record.technical_informations,
        votes,
    }
}

#[cfg(test)]
mod plays_tests {
    use super::*;

    #[test]
    fn the_viewer_is_told_what_a_subdef_plays_as() {
        let sd = |player: &str, mime: &str| Subdef {
            player_type: player.into(),
            mime_type: Some(mime.into()),
            ..Default::default()
        };
        assert_eq!(plays(&sd("VIDEO_MP4", "video/mp4")), Plays::Video);
        assert_eq!(plays(&sd("AUDIO_MP3", "audio/mpeg")), Plays::Audio);
        assert_eq!(plays(&sd("PDF", "application/pdf")), Plays::Pdf);
        assert_eq!(plays(&sd("IMAGE", "image/jpeg")), Plays::Image);
        assert_eq!(plays(&sd("", "video/webm")), Plays::Video, "the mime when the player type is missing");
        assert_eq!(plays(&sd("FLASH", "application/x-shockwave-flash")), Plays::None);
    }
}
