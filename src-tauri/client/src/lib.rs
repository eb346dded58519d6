//! Phraseanet client core, free of Tauri so it tests fast and serves both the desktop app and the CLI.
//!
//! The facade: [`ProfileStore`] (profiles on disk, no secrets), [`Vault`] (secrets in the OS keyring),
//! [`SignIn`] (OOB code, developer token, password grant, each validated with `/me/`), [`Session`] (one
//! signed-in profile), [`Api`] (typed v1 calls) and [`Media`] (cache, pool, ranges, downloads).
//! Every failure is an [`Error`] with a stable `code()`; the UI receives it as an [`ErrorPayload`].
//!
//! Citations in comments: `api §N` is section N of `docs/phraseanet-api.md` (the HTTP API of Phraseanet
//! 4.1.22); `docs/real-servers.md, "Title"` is the section so titled of `docs/real-servers.md` (other
//! versions and deployments; it wins where the two differ). P = Phraseanet's source, O = oauth2-php's.

pub mod about;
pub mod api;
pub mod auth;
pub mod doctor;
pub mod error;
pub mod http;
pub mod media;
pub mod models;
pub mod profile;
mod redact;
pub mod session;
pub mod transport;
pub mod url;
pub mod vault;

pub use about::{about, AppInfo};
pub use api::{discover, Api, RecordRef, ServerInfo};
pub use auth::{
    normalize_code, AuthorizeRequest, Code, CodeError, Loopback, Pending, SignIn, SignedIn, Token,
    LOOPBACK_TIME_LIMIT, OOB_REDIRECT_URI,
};
pub use error::{Error, ErrorCode, ErrorPayload, Result, TransportFault};
pub use http::HttpOptions;
pub use media::{
    CachedMedia, CancellationToken, DiskCache, DownloadNote, DownloadOutcome, DownloadProgress,
    DownloadedFile, Media, MediaOptions, MediaSource,
};
pub use profile::{AuthMethod, Profile, ProfileStore, ProfileSummary, TokenTransport};
pub use redact::redact;
pub use session::{save_profile, Session};
pub use transport::probe_transport;
pub use url::ServerUrl;
pub use vault::{KeyringStore, MemoryStore, Secret, SecretKind, SecretStore, Vault};
