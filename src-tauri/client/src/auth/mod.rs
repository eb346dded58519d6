//! Sign-in: OOB browser flow, developer token and password grant. Every path ends with `/me/`, which
//! validates the token and names the user; only then may the token be stored.

mod code;
pub mod token;

use serde::Serialize;
use ts_rs::TS;

use crate::transport::probe_transport;
pub use code::{normalize_code, Code, CodeError};

use crate::api::Api;
use crate::error::{Error, Result};
use crate::http::{build_client, HttpOptions};
use crate::models::Me;
use crate::profile::{Profile, ProfileStore};
use crate::url::ServerUrl;
use crate::vault::{Secret, Vault};

/// The redirect URI of desktop applications (api §2.1).
pub const OOB_REDIRECT_URI: &str = "urn:ietf:wg:oauth:2.0:oob";

/// The page to open in the browser, and the `state` sent with it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuthorizeRequest {
    pub url: String,
    pub state: String,
}

/// A sign-in in progress for one server and application. Cheap to clone.
#[derive(Clone)]
pub struct SignIn {
    server: ServerUrl,
    client_id: String,
    client_secret: Option<Secret>,
    client: reqwest::Client,
    opts: HttpOptions,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("server", &self.server)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl SignIn {
    pub fn new(server: ServerUrl, client_id: &str, client_secret: Option<Secret>) -> Result<SignIn> {
        SignIn::with_options(server, client_id, client_secret, HttpOptions::default())
    }

    pub fn with_options(
        server: ServerUrl,
        client_id: &str,
        client_secret: Option<Secret>,
        opts: HttpOptions,
    ) -> Result<SignIn> {
        let client = build_client(&opts)?;
        let client_secret = client_secret.filter(|s| !s.is_empty());
        Ok(SignIn { server, client_id: client_id.trim().to_string(), client_secret, client, opts })
    }

    /// For a stored profile: the client secret, if any, comes from the vault.
    pub fn for_profile(profile: &Profile, vault: &Vault) -> Result<SignIn> {
        SignIn::new(profile.server_url()?, &profile.client_id, vault.client_secret(&profile.name)?)
    }

    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// The authorize page (api §2.2): response_type=code, OOB redirect, a random state, no scope.
    pub fn authorize_url(&self) -> AuthorizeRequest {
        let state = random_state();
        let mut url = self.server.join("api/oauthv2/authorize");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", OOB_REDIRECT_URI)
            .append_pair("state", &state);
        AuthorizeRequest { url: url.to_string(), state }
    }

    /// Exchanges an already normalized code for a token (not yet validated).
    pub async fn exchange(&self, code: &Code) -> Result<Secret> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", OOB_REDIRECT_URI),
            ("client_id", self.client_id.as_str()),
        ];
        if let Some(s) = &self.client_secret {
            form.push(("client_secret", s.expose()));
        }
        token::request_token(&self.client, &self.server, &form).await
    }

    /// OOB flow end: what the person pasted → code → token → `/me/`.
    pub async fn finish_oob(&self, pasted: &str) -> Result<SignedIn> {
        let code = normalize_code(pasted)?;
        let token = self.exchange(&code).await?;
        self.validate(token).await
    }

    /// Password grant (api §2.4), for profiles that opted in.
    pub async fn finish_password(&self, login: &str, password: &Secret) -> Result<SignedIn> {
        let mut form = vec![
            ("grant_type", "password"),
            ("username", login),
            ("password", password.expose()),
            ("client_id", self.client_id.as_str()),
        ];
        if let Some(s) = &self.client_secret {
            form.push(("client_secret", s.expose()));
        }
        let token = token::request_token(&self.client, &self.server, &form).await?;
        self.validate(token).await
    }

    /// A developer token pasted from the application page (api §2.5).
    pub async fn finish_developer_token(&self, token: Secret) -> Result<SignedIn> {
        if token.is_empty() {
            return Err(Error::InvalidCode("the token is empty".into()));
        }
        self.validate(Secret::new(token.expose().trim())).await
    }

    /// Settles how the token travels (see `transport`), then calls `/me/` with it: a rejected token is
    /// an error, an accepted one names the user. The transport is part of what `remember` stores.
    pub async fn validate(&self, token: Secret) -> Result<SignedIn> {
        let transport = probe_transport(&self.client, &self.server, &self.opts).await?;
        let api = Api::with_transport(self.server.clone(), token, self.opts.clone(), transport)?;
        let me = api.me().await?;
        Ok(SignedIn { api, me })
    }
}

/// A validated sign-in: the token works and belongs to `me.user`.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub api: Api,
    pub me: Me,
}

impl SignedIn {
    /// The token, e.g. for `phraseanet-cli login --print-token`.
    pub fn token(&self) -> &Secret {
        self.api.token()
    }

    /// Stores the token in the vault and the user's name in the profile, and returns the session.
    pub fn remember(
        self,
        profiles: &ProfileStore,
        vault: &Vault,
        profile: &Profile,
    ) -> Result<crate::Session> {
        vault.set_token(profile, self.api.token())?;
        let mut profile = profile.clone();
        profile.user_name = Some(self.me.user.name());
        profile.token_transport = self.api.transport();
        profiles.save(&profile)?;
        let session = crate::Session::from_parts(profile, self.api, vault.clone()).with_user(self.me.user);
        session.keep_transport_in(profiles);
        Ok(session)
    }
}

fn random_state() -> String {
    let mut buf = [0u8; 16];
    if getrandom::getrandom(&mut buf).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        buf[..16].copy_from_slice(&nanos.as_nanos().to_le_bytes());
    }
    hex::encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_has_the_spec_parameters_and_no_scope() {
        let s = SignIn::new(ServerUrl::parse("https://dam.example.org/").unwrap(), "abc123", None).unwrap();
        let req = s.authorize_url();
        let url = url::Url::parse(&req.url).unwrap();
        assert_eq!(url.path(), "/api/oauthv2/authorize");
        let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], "abc123");
        assert_eq!(q["redirect_uri"], OOB_REDIRECT_URI);
        assert_eq!(q["state"], req.state);
        assert_eq!(req.state.len(), 32);
        assert!(!q.contains_key("scope"));
        assert_ne!(s.authorize_url().state, req.state);
    }

    #[test]
    fn oauth_errors_map_to_typed_errors() {
        assert_eq!(token::map_oauth_error("expired_token").code(), "expired-code");
        assert!(token::map_oauth_error("expired_token").message().contains("30 seconds"));
        assert_eq!(token::map_oauth_error("invalid_grant").code(), "invalid-grant");
        assert_eq!(token::map_oauth_error("invalid_client").code(), "invalid-client");
        assert_eq!(token::map_oauth_error("unsupported_grant_type").code(), "unsupported-grant");
        assert_eq!(token::map_oauth_error("invalid_request").code(), "oauth");
    }

    #[test]
    fn debug_redacts_the_client_secret() {
        let s =
            SignIn::new(ServerUrl::parse("https://x.org").unwrap(), "abc", Some(Secret::new("s3cr3tvalue")))
                .unwrap();
        assert!(!format!("{s:?}").contains("s3cr3tvalue"));
    }
}
