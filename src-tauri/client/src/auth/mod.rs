//! Sign-in: the browser flows (OOB paste, loopback redirect), developer token and password grant. The
//! `oauth2` crate builds the authorize URL (state, PKCE S256) and the token requests (`token.rs` holds
//! Phraseanet's answer types and our HTTP exchange). Every path ends with `/me/`, which validates the
//! token and names the user; only then may the token be stored.

mod code;
mod loopback;
pub mod token;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, ResourceOwnerPassword, ResourceOwnerUsername, TokenResponse, TokenUrl,
};
use serde::Serialize;
use ts_rs::TS;

use crate::transport::probe_transport;
pub use code::{normalize_code, Code, CodeError};
pub use loopback::{Loopback, LOOPBACK_TIME_LIMIT};

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

    /// The oauth2 client for one redirect URI. Client credentials go in the form body: Phraseanet
    /// refuses Basic and body together (api §2.3), and the secret is optional.
    fn oauth(&self, redirect_uri: &str) -> Result<token::OAuthClient> {
        let url = |path| self.server.join(path);
        let redirect = RedirectUrl::new(redirect_uri.to_string())
            .map_err(|_| Error::InvalidProfile("the redirect URI is not valid".into()))?;
        let client = oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(url("api/oauthv2/authorize")))
            .set_token_uri(TokenUrl::from_url(url("api/oauthv2/token")))
            .set_auth_type(AuthType::RequestBody)
            .set_redirect_uri(redirect);
        Ok(match &self.client_secret {
            Some(s) => client.set_client_secret(ClientSecret::new(s.expose().to_string())),
            None => client,
        })
    }

    /// The authorize page (api §2.2) for `redirect_uri`: response_type=code, a random state, a PKCE
    /// S256 challenge (Phraseanet ignores it; it costs nothing and binds a loopback code to this app),
    /// no scope. The `Pending` half stays in the backend until the code comes back.
    pub fn start(&self, redirect_uri: &str) -> Result<(AuthorizeRequest, Pending)> {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .oauth(redirect_uri)?
            .authorize_url(|| CsrfToken::new(random_state()))
            .set_pkce_challenge(challenge)
            .url();
        let request = AuthorizeRequest { url: url.to_string(), state: state.secret().clone() };
        Ok((request, Pending { state, verifier, redirect_uri: redirect_uri.to_string() }))
    }

    /// The OOB authorize page, for a code the person pastes.
    pub fn start_oob(&self) -> (AuthorizeRequest, Pending) {
        self.start(OOB_REDIRECT_URI).expect("the OOB redirect URI is valid")
    }

    /// The OOB authorize page, when nothing waits for its code in this process (the code exchange
    /// then sends no PKCE verifier, which Phraseanet does not ask for).
    pub fn authorize_url(&self) -> AuthorizeRequest {
        self.start_oob().0
    }

    /// Exchanges an already normalized code for a token (not yet validated). With the `pending` half
    /// of `start`, its redirect URI and PKCE verifier go along; without it, the OOB redirect.
    pub async fn exchange(&self, code: &Code, pending: Option<&Pending>) -> Result<Token> {
        let redirect = pending.map_or(OOB_REDIRECT_URI, |p| p.redirect_uri.as_str());
        let oauth = self.oauth(redirect)?;
        let mut request = oauth.exchange_code(AuthorizationCode::new(code.as_str().to_string()));
        if let Some(p) = pending {
            request = request.set_pkce_verifier(PkceCodeVerifier::new(p.verifier.secret().clone()));
        }
        let http = token::http_client(&self.client);
        let answer = request.request_async(&http).await.map_err(|e| self.token_error(e))?;
        Token::from_answer(&answer)
    }

    fn token_error(&self, e: oauth2::RequestTokenError<Error, token::TokenRefusal>) -> Error {
        token::map_request_error(e, self.server.join("").scheme() == "https")
    }

    /// OOB flow end: what the person pasted → code → token → `/me/`.
    pub async fn finish_oob(&self, pasted: &str) -> Result<SignedIn> {
        self.finish_oob_with(pasted, None).await
    }

    /// As `finish_oob`, for the sign-in `start_oob` began in this process.
    pub async fn finish_oob_with(&self, pasted: &str, pending: Option<&Pending>) -> Result<SignedIn> {
        let code = normalize_code(pasted)?;
        let token = self.exchange(&code, pending).await?;
        self.validate_token(token).await
    }

    /// Password grant (api §2.4), for profiles that opted in.
    pub async fn finish_password(&self, login: &str, password: &Secret) -> Result<SignedIn> {
        let oauth = self.oauth(OOB_REDIRECT_URI)?;
        let user = ResourceOwnerUsername::new(login.to_string());
        let pass = ResourceOwnerPassword::new(password.expose().to_string());
        let http = token::http_client(&self.client);
        let request = oauth.exchange_password(&user, &pass);
        let answer = request.request_async(&http).await.map_err(|e| self.token_error(e))?;
        self.validate_token(Token::from_answer(&answer)?).await
    }

    /// A developer token pasted from the application page (api §2.5).
    pub async fn finish_developer_token(&self, token: Secret) -> Result<SignedIn> {
        if token.is_empty() {
            return Err(Error::InvalidCode("the token is empty".into()));
        }
        self.validate(Secret::new(token.expose().trim())).await
    }

    async fn validate_token(&self, token: Token) -> Result<SignedIn> {
        let mut signed_in = self.validate(token.secret).await?;
        signed_in.expires_at = token.expires_at;
        Ok(signed_in)
    }

    /// Settles how the token travels (see `transport`), then calls `/me/` with it: a rejected token is
    /// an error, an accepted one names the user. The transport is part of what `remember` stores.
    pub async fn validate(&self, token: Secret) -> Result<SignedIn> {
        let transport = probe_transport(&self.client, &self.server, &self.opts).await?;
        let api = Api::with_transport(self.server.clone(), token, self.opts.clone(), transport)?;
        let me = api.me().await?;
        Ok(SignedIn { api, me, expires_at: None })
    }
}

/// What a browser sign-in keeps until its code comes back: the state to check and the PKCE verifier.
/// Never shown to the UI.
pub struct Pending {
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    redirect_uri: String,
}

impl Pending {
    /// Whether `state` is the one sent (the comparison does not stop at the first difference).
    pub fn state_is(&self, state: &str) -> bool {
        let sent = self.state.secret().as_bytes();
        sent.len() == state.len() && sent.iter().zip(state.as_bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("redirect_uri", &self.redirect_uri).finish_non_exhaustive()
    }
}

/// A token from the token endpoint, not yet validated.
pub struct Token {
    secret: Secret,
    /// Unix seconds; only when the server said (Phraseanet does not expire tokens today, api §2.5).
    expires_at: Option<i64>,
}

impl Token {
    fn from_answer(answer: &token::TokenAnswer) -> Result<Token> {
        let value = answer.access_token().secret().trim();
        if value.is_empty() {
            return Err(Error::NotPhraseanet("unexpected token answer (HTTP 200)".into()));
        }
        Ok(Token { secret: Secret::new(value), expires_at: answer.expires_in().map(expiry) })
    }

    pub fn secret(&self) -> &Secret {
        &self.secret
    }
}

fn expiry(lifetime: Duration) -> i64 {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    (now + lifetime).as_secs().min(i64::MAX as u64) as i64
}

/// A validated sign-in: the token works and belongs to `me.user`.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub api: Api,
    pub me: Me,
    /// When the server said the token expires (unix seconds): the app asks for a new sign-in before.
    pub expires_at: Option<i64>,
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
        profile.token_expires_at = self.expires_at;
        profiles.save(&profile)?;
        let session = crate::Session::from_parts(profile, self.api, vault.clone()).with_user(self.me.user);
        session.keep_transport_in(profiles);
        Ok(session)
    }
}

/// 32 hex digits (128 random bits), as before the oauth2 crate: the double and logs expect that shape.
fn random_state() -> String {
    let mut buf = [0u8; 16];
    if getrandom::getrandom(&mut buf).is_err() {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        buf.copy_from_slice(&nanos.as_nanos().to_le_bytes());
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
