//! The dataset held by the double: plain data, built once by `fixtures`, read by every handler.

use std::collections::HashMap;

/// A user account (api §6 User).
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub password: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub gender: &'static str,
    pub city: Option<String>,
    pub country: Option<String>,
    pub position: Option<String>,
    pub company: Option<String>,
    pub geoname_id: Option<i64>,
    /// `None` = null, `Some(None)` = MySQL zero date (api §7.6), `Some(Some(t))` = a date.
    pub last_connection: Option<Option<i64>>,
    pub created_on: i64,
    pub updated_on: i64,
    pub locale: Option<String>,
    /// Base ids the user may see, with their rights (api §6 UserCollectionGrant).
    pub grants: Vec<(i64, Vec<&'static str>)>,
    /// Databoxes with databox-level rights (api §6 UserDataboxGrant).
    pub databox_grants: Vec<i64>,
}

impl User {
    /// `display_name` falls back to email, login, "Unnamed user" (api §6).
    pub fn display_name(&self) -> String {
        match (&self.first_name, &self.last_name) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            (Some(f), None) => f.clone(),
            (None, Some(l)) => l.clone(),
            (None, None) => self.email.clone().unwrap_or_else(|| {
                if self.login.is_empty() {
                    "Unnamed user".into()
                } else {
                    self.login.clone()
                }
            }),
        }
    }

    pub fn can_access_base(&self, base_id: i64) -> bool {
        self.grants.iter().any(|(b, _)| *b == base_id)
    }

    pub fn has_right(&self, base_id: i64, right: &str) -> bool {
        self.grants.iter().any(|(b, rights)| *b == base_id && rights.contains(&right))
    }
}

/// An OAuth application (api §2.1).
#[derive(Debug, Clone)]
pub struct App {
    pub id: i64,
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
    pub password_grant: bool,
}

pub const OOB_URI: &str = "urn:ietf:wg:oauth:2.0:oob";

#[derive(Debug, Clone)]
pub struct Databox {
    pub id: i64,
    pub name: String,
    pub viewname: String,
    pub labels: [String; 4],
}

#[derive(Debug, Clone)]
pub struct Collection {
    pub base_id: i64,
    pub databox_id: i64,
    pub coll_id: i64,
    pub name: String,
    pub labels: [String; 4],
    pub order_managers: Vec<String>,
}

/// What an original is; decides mime type, `phrasea_type`, subdefs and bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Jpeg,
    Png,
    Video,
    Audio,
    Pdf,
    Flash,
    Unknown,
    /// A story (api §6: null mime/sha256/original_name, `phrasea_type` unknown).
    Story,
}

impl Kind {
    pub fn mime(self) -> Option<&'static str> {
        Some(match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Video => "video/mp4",
            Kind::Audio => "audio/mpeg",
            Kind::Pdf => "application/pdf",
            Kind::Flash => "application/x-shockwave-flash",
            Kind::Unknown => "application/zip",
            Kind::Story => return None,
        })
    }

    pub fn phrasea_type(self) -> &'static str {
        match self {
            Kind::Jpeg | Kind::Png => "image",
            Kind::Video => "video",
            Kind::Audio => "audio",
            Kind::Pdf => "document",
            Kind::Flash => "flash",
            Kind::Unknown | Kind::Story => "unknown",
        }
    }
}

/// One caption field of the databox structure.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: i64,
    pub name: &'static str,
    pub labels: [&'static str; 4],
    /// Business fields are never shown to the fixture users (api §5 caption/metadatas).
    pub business: bool,
    pub dc: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub databox_id: i64,
    pub record_id: i64,
    pub base_id: i64,
    pub coll_id: i64,
    pub kind: Kind,
    pub title: String,
    pub original_name: Option<String>,
    pub created_on: i64,
    pub updated_on: i64,
    pub uuid: String,
    /// (field id, values) in structure order.
    pub caption: Vec<(i64, Vec<String>)>,
    /// Status bits 4..31 set on the record.
    pub status: u32,
    /// false: the thumbnail file is absent, `thumbnail` is null (api §9.9).
    pub has_thumbnail: bool,
    /// false: the preview has `permalink: null` (api §9.9).
    pub preview_permalink: bool,
    /// The metadata writer rewrote the document after upload: the served bytes differ from what
    /// `sha256` hashes (docs/real-servers.md, "sha256").
    pub rewritten_document: bool,
    /// A story whose type Prod's "change type" edited (PropertyController.php:160-190, docs/real-servers.md,
    /// "Story detection"): the record routes then show this kind's `phrasea_type` and mime instead of
    /// `unknown`/null.
    pub edited_as: Option<Kind>,
    /// Stories: children (databox-local record ids) and cover.
    pub children: Vec<i64>,
    pub cover: Option<i64>,
    /// Pixel size of the original as the API reports it.
    pub width: u32,
    pub height: u32,
    /// Bytes of the video preview when padded (`SimOptions::video_preview_size`); None: the sample.
    pub preview_size: Option<u64>,
}

impl Record {
    pub fn is_story(&self) -> bool {
        self.kind == Kind::Story
    }

    /// The kind the record routes show (an edited story shows its new type).
    pub fn shown_kind(&self) -> Kind {
        self.edited_as.unwrap_or(self.kind)
    }

    pub fn key(&self) -> (i64, i64) {
        (self.databox_id, self.record_id)
    }
}

#[derive(Debug, Clone)]
pub struct VoteChoice {
    pub user: i64,
    pub agreement: Option<bool>,
    pub note: String,
    pub updated_on: i64,
}

#[derive(Debug, Clone)]
pub struct Element {
    pub id: i64,
    pub record: (i64, i64),
    pub order: i64,
    pub votes: Vec<VoteChoice>,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub user: i64,
    pub confirmed: bool,
    pub can_agree: bool,
    pub can_see_others: bool,
}

#[derive(Debug, Clone)]
pub struct Vote {
    pub initiator: i64,
    pub participants: Vec<Participant>,
    pub expires_on: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Basket {
    pub id: i64,
    pub owner: i64,
    pub name: String,
    pub description: String,
    pub created_on: i64,
    pub updated_on: i64,
    pub unread: bool,
    pub pusher: Option<i64>,
    pub vote: Option<Vote>,
    /// Participants of a basket shared without a vote (≥4.1.7, docs/real-servers.md, "Baskets and votes"):
    /// they may read it only.
    pub shared_with: Vec<i64>,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub author_email: String,
    pub author_name: String,
    pub title: String,
    pub subtitle: String,
    pub created_on: i64,
    pub updated_on: i64,
    /// (item id, record key)
    pub items: Vec<(i64, (i64, i64))>,
}

#[derive(Debug, Clone)]
pub struct Feed {
    pub id: i64,
    pub title: String,
    pub subtitle: Option<String>,
    pub icon: bool,
    pub public: bool,
    /// Feed restricted to the publishers of this collection (api §5: inaccessible feed).
    pub base_id: Option<i64>,
    pub created_on: i64,
    pub updated_on: i64,
    pub entries: Vec<Entry>,
}

/// Everything a dataset holds. Baskets are copied into the mutable store at start.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub instance_id: String,
    pub title: String,
    pub users: Vec<User>,
    pub apps: Vec<App>,
    pub databoxes: Vec<Databox>,
    pub collections: Vec<Collection>,
    pub fields: Vec<Field>,
    pub records: Vec<Record>,
    pub index: HashMap<(i64, i64), usize>,
    pub baskets: Vec<Basket>,
    pub feeds: Vec<Feed>,
    /// (user id, app id, token): developer tokens (api §2.5).
    pub developer_tokens: Vec<(i64, i64, String)>,
    /// (user id, app id) accounts that exist and are revoked at start (consent page, api §2.2).
    pub revoked_accounts: Vec<(i64, i64)>,
}

impl Data {
    pub fn user(&self, id: i64) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    pub fn user_by_login(&self, login: &str) -> Option<&User> {
        self.users.iter().find(|u| u.login == login)
    }

    pub fn app_by_client_id(&self, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    pub fn record(&self, databox_id: i64, record_id: i64) -> Option<&Record> {
        self.index.get(&(databox_id, record_id)).map(|&i| &self.records[i])
    }

    pub fn collection(&self, base_id: i64) -> Option<&Collection> {
        self.collections.iter().find(|c| c.base_id == base_id)
    }

    pub fn databox(&self, id: i64) -> Option<&Databox> {
        self.databoxes.iter().find(|d| d.id == id)
    }

    pub fn reindex(&mut self) {
        self.index = self.records.iter().enumerate().map(|(i, r)| (r.key(), i)).collect();
    }
}
