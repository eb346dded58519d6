//! What the browse screens receive, exported to TypeScript (ui/src/lib/bindings).
//!
//! Lean on purpose: a 10,000-element basket is one `BasketView` whose `elements` are small `GridItem`s
//! (ids, title, kind, thumbnail size; the vote fields only in vote baskets). Every server string is passed
//! through byte for byte: the UI renders it as text, never as HTML.

use phraseanet_client::models::TechnicalInfo;
use phraseanet_client::RecordRef;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a grid cell shows when there is no thumbnail, and how the viewer plays the record.
/// `story` is a record that groups others (api §7.8); Phraseanet's `flash` counts as `document`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Story,
    Unknown,
}

/// What every view of a basket shows about it (the sidebar line and the opened basket's header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BasketInfo {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Owner's display name.
    pub owner: Option<String>,
    /// Who pushed the basket to the user, if it was pushed.
    pub pusher: Option<String>,
    /// The owner's name when someone else shared this (non-vote) basket with the user.
    pub shared_by: Option<String>,
    /// The user owns it: only then may it be renamed, described, deleted or changed.
    pub own: bool,
    /// ISO-8601 with offset, or null (zero dates are null, api §7.6).
    pub created_on: Option<String>,
    pub updated_on: Option<String>,
    pub unread: bool,
}

/// One line of the basket sidebar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BasketSummary {
    #[serde(flatten)]
    pub info: BasketInfo,
    /// Known once the basket's content was loaded in this session (the list does not say).
    pub element_count: Option<u32>,
    /// Present for vote (feedback) baskets only.
    pub vote: Option<VoteInfo>,
}

/// The vote part of a basket, as the list gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoteInfo {
    /// Deadline (`expires_on`), ISO or null.
    pub expires_on: Option<String>,
    /// The user has confirmed (sent) their votes.
    pub confirmed: bool,
    /// Who asked for the feedback.
    pub initiator: Option<String>,
    /// True when the user is that person.
    pub is_initiator: bool,
    /// The server's localized sentence ("Feedback request received from …").
    pub infos: Option<String>,
}

/// An opened basket: its header and its elements in `ord` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BasketView {
    pub header: BasketHeader,
    pub elements: Vec<GridItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BasketHeader {
    #[serde(flatten)]
    pub info: BasketInfo,
    pub vote: Option<VoteHeader>,
}

/// A vote basket's header. Votes cannot be cast through the API: `lightbox_url` opens the Phraseanet
/// Lightbox page of the basket (`<server>/lightbox/validate/<basket_id>/`) in the system browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoteHeader {
    #[serde(flatten)]
    pub info: VoteInfo,
    pub participants: Vec<VoteParticipant>,
    pub lightbox_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoteParticipant {
    pub user_id: i64,
    pub name: String,
    pub confirmed: bool,
    pub can_agree: bool,
    pub can_see_others: bool,
    /// True for everyone but the user (api §6 Participant).
    pub readonly: bool,
}

/// One grid cell. Its media: `thumb/<databox_id>/<record_id>` on the media scheme (see `media.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GridItem {
    /// The basket element id; null outside baskets (story children, search results).
    pub element_id: Option<i64>,
    pub databox_id: i64,
    pub record_id: i64,
    pub title: String,
    pub kind: MediaKind,
    /// Thumbnail size in pixels; null when the record has no thumbnail (show the kind's placeholder).
    pub thumb: Option<ThumbSize>,
    /// Video and audio length in seconds, from the record's `Duration` technical field (api §6).
    pub duration: Option<f64>,
    /// Page count where the server says it (a `Pages`/`PageCount` technical field); usually unknown.
    pub pages: Option<u32>,
    /// The file's extension, lower-case without the dot (from the original name, else the mime type),
    /// for the tile's badge; null for stories and names without one.
    pub extension: Option<String>,
    /// Vote baskets only: the user's vote and the tally.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vote: Option<ElementVote>,
}

impl GridItem {
    /// The record (or story) the cell shows.
    pub fn record(&self) -> RecordRef {
        RecordRef::new(self.databox_id, self.record_id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ThumbSize {
    pub w: u32,
    pub h: u32,
}

/// A vote basket element's votes, in short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ElementVote {
    /// The user's own vote: yes, no, or not yet (null).
    pub agreement: Option<bool>,
    pub yes: u32,
    pub no: u32,
}

/// Which basket element a record was opened from (to show its votes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ElementRef {
    pub basket_id: i64,
    pub element_id: i64,
}

/// The record panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordDetails {
    pub record: RecordRef,
    pub title: String,
    pub original_name: Option<String>,
    pub mime: Option<String>,
    pub kind: MediaKind,
    /// `phrasea_type` as the server says it.
    pub phrasea_type: String,
    pub created_on: Option<String>,
    pub updated_on: Option<String>,
    pub base_id: i64,
    pub collection_id: i64,
    pub sha256: Option<String>,
    /// `/caption/` fields in server order (multi-valued fields joined with `;`, api §5).
    pub caption: Vec<CaptionLine>,
    pub technical: Vec<TechnicalInfo>,
    pub status: Vec<StatusFlag>,
    /// From `/embed/`: only what the user may see (api §5), `document` first when allowed.
    pub subdefs: Vec<SubdefInfo>,
    /// The element's votes when opened from a vote basket; empty otherwise.
    pub votes: Vec<VoteEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptionLine {
    pub name: String,
    pub value: Option<String>,
}

/// A status bit with the label of its current state, from `/me/` for the record's collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusFlag {
    pub bit: u32,
    pub state: bool,
    /// Label of the current state in the user's language (else English, else any); null when unnamed.
    pub label: Option<String>,
    pub on_label: Option<String>,
    pub off_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SubdefInfo {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub filesize: u64,
    pub mime: Option<String>,
    /// `IMAGE`, `VIDEO_MP4`, `AUDIO_MP3`, `PDF`… (api §6).
    pub player_type: String,
    /// How the viewer shows it, decided here from the server's typed fields (the UI matches no strings).
    pub plays: Plays,
    /// The media-scheme path of this subdef: `sub/<databox>/<record>/<name>`.
    pub path: String,
    pub permalink: Option<PermalinkInfo>,
}

/// What a viewer does with a subdef.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Plays {
    Image,
    Video,
    Audio,
    /// Inline, in the engine's PDF viewer.
    Pdf,
    /// Nothing to show inline (Flash, archives…): the viewer offers the download.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PermalinkInfo {
    pub page_url: String,
    pub url: String,
    pub download_url: String,
    pub is_activated: bool,
}

/// One participant's vote on an element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoteEntry {
    pub participant: String,
    pub agreement: Option<bool>,
    pub note: String,
    pub updated_on: Option<String>,
}

/// An opened story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StoryView {
    pub story: RecordRef,
    pub title: String,
    pub thumb: Option<ThumbSize>,
    pub records: Vec<GridItem>,
}

/// "Where is it used" (`/records/{d}/{r}/related/`, api §5 Records): the user's baskets holding the
/// record and the stories containing it, each one click away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RelatedView {
    pub record: RecordRef,
    pub baskets: Vec<BasketSummary>,
    pub stories: Vec<GridItem>,
}
