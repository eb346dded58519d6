//! Connection profiles: which server, which application, which sign-in method. Stored as one small JSON
//! file in the platform config dir, written atomically. No secret is ever written here (see `vault`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::url::ServerUrl;

/// How a profile signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AuthMethod {
    /// Browser sign-in, then paste the code shown by the server (redirect `urn:ietf:wg:oauth:2.0:oob`).
    #[default]
    OauthOob,
    /// A developer token copied from the application page (api §2.5).
    DeveloperToken,
    /// Login and password sent to the token endpoint; the app must allow it (api §2.4).
    PasswordGrant,
    /// Browser sign-in that comes back to the app on `http://127.0.0.1:<port>/` (RFC 8252 §7.3): a *web*
    /// application registered with the callback `http://127.0.0.1` (Phraseanet matches by prefix,
    /// api §2.2). No code to paste, no 30-second race.
    Loopback,
}

/// How the access token travels to the server. Not a secret: it describes the server, and is settled at
/// sign-in (see `auth::transport`). docs/real-servers.md, "Token transport": the `Authorization: OAuth`
/// header is refused by every Phraseanet before 4.1.0 (oauth2php 1.0.0), ignored by 4.1.0/4.1.1 as
/// installed, and stripped by Apache + PHP-FPM on any version; the `oauth_token` parameter works there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenTransport {
    /// `Authorization: OAuth <token>`: keeps the token out of URLs and access logs.
    #[default]
    Header,
    /// `oauth_token` in the query string (GET, DELETE) or the form body (POST); media carry no token. The
    /// one case where the token appears in a URL: the server leaves no alternative.
    Param,
}

/// A connection profile as stored on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Unique name, also the key of the profile's secrets in the keyring.
    pub name: String,
    /// Normalized server root (see `ServerUrl`).
    pub server: String,
    pub client_id: String,
    #[serde(default)]
    pub auth: AuthMethod,
    /// How the server takes the token (settled at sign-in, re-checked when calls fail in its shapes).
    #[serde(default)]
    pub token_transport: TokenTransport,
    /// Last known user name, for the profile list (not a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// When the token expires (unix seconds), if the token answer said (`expires_in`); not a secret.
    /// Phraseanet does not expire tokens today (api §2.5) but says clients must be ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_expires_at: Option<i64>,
}

impl Profile {
    /// Validates and normalizes: the name is non-empty and printable, the URL passes the http gate.
    pub fn new(name: &str, server: &str, client_id: &str, auth: AuthMethod) -> Result<Profile> {
        let name = name.trim();
        if name.is_empty() || name.len() > 100 || name.chars().any(|c| c.is_control() || c == '/') {
            return Err(Error::InvalidProfile(
                "the name must be 1 to 100 printable characters, no '/'".into(),
            ));
        }
        let client_id = client_id.trim();
        // The authorize endpoint validates client ids with /^[a-z0-9-_]{3,32}$/i (api §2.1).
        if auth != AuthMethod::DeveloperToken
            && (client_id.len() < 3
                || client_id.len() > 64
                || !client_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        {
            return Err(Error::InvalidProfile(
                "the client id is 3 to 32 letters, digits, '-' or '_' (Phraseanet: Applications page)".into(),
            ));
        }
        let server = ServerUrl::parse(server)?;
        Ok(Profile {
            name: name.to_string(),
            server: server.to_string(),
            client_id: client_id.to_string(),
            auth,
            token_transport: TokenTransport::default(),
            user_name: None,
            token_expires_at: None,
        })
    }

    pub fn server_url(&self) -> Result<ServerUrl> {
        ServerUrl::parse(&self.server)
    }

    pub fn summary(&self, signed_in: bool) -> ProfileSummary {
        ProfileSummary {
            name: self.name.clone(),
            server: self.server.clone(),
            client_id: self.client_id.clone(),
            auth: self.auth,
            user_name: self.user_name.clone(),
            signed_in,
            token_expires_at: self.token_expires_at,
        }
    }
}

/// What the UI shows in the profile list: no secret.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ProfileSummary {
    pub name: String,
    pub server: String,
    pub client_id: String,
    pub auth: AuthMethod,
    pub user_name: Option<String>,
    /// A token is in the vault for this profile.
    pub signed_in: bool,
    /// Unix seconds; the UI asks for a new sign-in shortly before (see `Profile::token_expires_at`).
    pub token_expires_at: Option<i64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ProfilesFile {
    #[serde(default)]
    version: u32,
    #[serde(default)]
    profiles: Vec<Profile>,
}

/// The profiles file.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    dir: PathBuf,
}

impl ProfileStore {
    /// The platform config dir, e.g. `~/.config/phraseanet-desktop` on Linux.
    pub fn open_default() -> Result<ProfileStore> {
        let dirs = directories::ProjectDirs::from("org", "Phraseanet", "phraseanet-desktop")
            .ok_or_else(|| Error::Io("no home directory: cannot locate the config folder".into()))?;
        Ok(ProfileStore::at(dirs.config_dir()))
    }

    /// A store in any folder (tests, portable installs).
    pub fn at(dir: impl Into<PathBuf>) -> ProfileStore {
        ProfileStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self) -> PathBuf {
        self.dir.join("profiles.json")
    }

    fn read(&self) -> Result<ProfilesFile> {
        match fs::read(self.file()) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| Error::Io(format!("{} is damaged: {e}", self.file().display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ProfilesFile::default()),
            Err(e) => Err(e.into()),
        }
    }

    fn write(&self, file: &ProfilesFile) -> Result<()> {
        let json = serde_json::to_vec_pretty(file).map_err(|e| Error::Io(e.to_string()))?;
        write_atomic(&self.file(), &json)
    }

    pub fn list(&self) -> Result<Vec<Profile>> {
        Ok(self.read()?.profiles)
    }

    pub fn get(&self, name: &str) -> Result<Profile> {
        self.read()?
            .profiles
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| Error::ProfileNotFound(name.into()))
    }

    /// Adds or replaces the profile with the same name.
    pub fn save(&self, profile: &Profile) -> Result<()> {
        let mut file = self.read()?;
        file.version = 1;
        match file.profiles.iter_mut().find(|p| p.name == profile.name) {
            Some(p) => *p = profile.clone(),
            None => file.profiles.push(profile.clone()),
        }
        self.write(&file)
    }

    /// Removes a profile; its secrets are the vault's business (`Vault::forget_profile`).
    pub fn remove(&self, name: &str) -> Result<()> {
        let mut file = self.read()?;
        let before = file.profiles.len();
        file.profiles.retain(|p| p.name != name);
        if file.profiles.len() == before {
            return Err(Error::ProfileNotFound(name.into()));
        }
        self.write(&file)
    }
}

/// Creates `dir` (and its parents) for this user only: 0700 on Unix, also when it already existed. The
/// config names servers and the settings name folders; other local users have no business reading them
///.
pub fn private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    builder.create(dir)?;
    Ok(())
}

/// Writes to a private temp file (0600, never an existing one) in the same private folder, syncs, then
/// renames over the target: readers never see a half-written file, and a failure leaves no temp file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    private_dir(dir)?;
    let mut rnd = [0u8; 6];
    let _ = getrandom::getrandom(&mut rnd);
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        hex::encode(rnd)
    ));
    let written = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written.map_err(Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_round_trip_and_coexist() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::at(dir.path().join("cfg"));
        assert!(store.list().unwrap().is_empty());
        let a = Profile::new("work", "https://dam.example.org/", "abcdef0123", AuthMethod::OauthOob).unwrap();
        let b =
            Profile::new("home", "http://127.0.0.1:8080", "other-app", AuthMethod::PasswordGrant).unwrap();
        store.save(&a).unwrap();
        store.save(&b).unwrap();
        assert_eq!(store.list().unwrap().len(), 2);
        assert_eq!(store.get("work").unwrap().server, "https://dam.example.org");
        let mut a2 = a.clone();
        a2.user_name = Some("Mara Ek".into());
        store.save(&a2).unwrap();
        assert_eq!(store.list().unwrap().len(), 2);
        assert_eq!(store.get("work").unwrap().user_name.as_deref(), Some("Mara Ek"));
        store.remove("work").unwrap();
        assert_eq!(store.get("work").unwrap_err().code(), "profile-not-found");
        assert_eq!(store.remove("work").unwrap_err().code(), "profile-not-found");
        // Only the profiles file is left: no temp file behind.
        let names: Vec<_> = fs::read_dir(store.dir()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("profiles.json")]);
    }

    #[cfg(unix)]
    #[test]
    fn the_config_folder_and_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("cfg");
        fs::create_dir_all(&cfg).unwrap();
        fs::set_permissions(&cfg, fs::Permissions::from_mode(0o755)).unwrap();
        let store = ProfileStore::at(&cfg);
        store
            .save(&Profile::new("w", "https://dam.example.org", "abc", AuthMethod::OauthOob).unwrap())
            .unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cfg), 0o700, "an existing folder is tightened");
        assert_eq!(mode(&cfg.join("profiles.json")), 0o600);
    }

    #[test]
    fn invalid_profiles_are_refused() {
        assert_eq!(
            Profile::new("", "https://x.org", "abc", AuthMethod::OauthOob).unwrap_err().code(),
            "invalid-profile"
        );
        assert_eq!(
            Profile::new("p", "http://dam.example.org", "abc", AuthMethod::OauthOob).unwrap_err().code(),
            "insecure-http"
        );
        assert_eq!(
            Profile::new("p", "https://x.org", "a b", AuthMethod::OauthOob).unwrap_err().code(),
            "invalid-profile"
        );
    }
}
