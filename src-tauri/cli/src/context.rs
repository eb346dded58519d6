//! Which server, which token: from `--server`/`--token` (no keyring) or from a stored profile.

use phraseanet_client::{
    Api, Error, HttpOptions, Profile, ProfileStore, Result, Secret, ServerUrl, Session, SignIn, Vault,
};

use crate::output::Out;
use crate::Global;

pub struct Context {
    pub global: Global,
}

impl Context {
    pub fn new(global: Global) -> Context {
        Context { global }
    }

    pub fn profiles(&self) -> Result<ProfileStore> {
        match &self.global.config_dir {
            Some(dir) => Ok(ProfileStore::at(dir)),
            None => ProfileStore::open_default(),
        }
    }

    pub fn vault(&self) -> Result<Vault> {
        if self.global.session_only {
            Ok(Vault::session_only())
        } else {
            Vault::keyring()
        }
    }

    /// The HTTP settings: the defaults, plus the `--ca-cert` certificate.
    pub fn http(&self) -> Result<HttpOptions> {
        let mut opts = HttpOptions::default();
        if let Some(path) = &self.global.ca_cert {
            let pem = std::fs::read_to_string(path)
                .map_err(|e| Error::Io(format!("cannot read the certificate {}: {e}", path.display())))?;
            opts.extra_roots_pem.push(pem);
        }
        Ok(opts)
    }

    /// The profile named by `--profile`, or the only one.
    pub fn profile(&self) -> Result<Profile> {
        let store = self.profiles()?;
        match &self.global.profile {
            Some(name) => store.get(name),
            None => {
                let mut all = store.list()?;
                match all.len() {
                    1 => Ok(all.remove(0)),
                    0 => Err(Error::ProfileNotFound(
                        "(none yet: add one with `profile add`, or pass --server and --token)".into(),
                    )),
                    _ => Err(Error::InvalidProfile(
                        "several profiles exist: choose one with --profile NAME".into(),
                    )),
                }
            }
        }
    }

    /// `--server` when given, else the profile's server.
    pub fn server(&self) -> Result<ServerUrl> {
        match &self.global.server {
            Some(s) => ServerUrl::parse(s),
            None => self.profile()?.server_url(),
        }
    }

    fn token_override(&self) -> Option<Secret> {
        self.global.token.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(Secret::new)
    }

    /// The API client: `--token` (with `--server` or a profile's server) needs no keyring.
    pub async fn api(&self) -> Result<Api> {
        if let Some(token) = self.token_override() {
            // A profile's server knows its transport; a bare --server is probed first.
            return match &self.global.server {
                None => {
                    Api::with_transport(self.server()?, token, self.http()?, self.profile()?.token_transport)
                }
                Some(_) => Api::probed(self.server()?, token, self.http()?).await,
            };
        }
        if self.global.server.is_some() && self.global.profile.is_none() {
            return Err(Error::NotSignedIn);
        }
        let profile = self.profile()?;
        let session = Session::restore_with(&profile, &self.vault()?, self.http()?)?;
        session.keep_transport_in(&self.profiles()?);
        Ok(session.api().clone())
    }

    /// A sign-in for `--server --client-id` or for the profile.
    pub fn sign_in(&self) -> Result<(SignIn, Option<Profile>)> {
        if let Some(server) = &self.global.server {
            let client_id = self
                .global
                .client_id
                .clone()
                .or_else(|| self.profile().ok().map(|p| p.client_id))
                .ok_or_else(|| Error::InvalidProfile("give --client-id with --server".into()))?;
            let secret = self.global.client_secret.as_deref().map(Secret::new);
            let profile =
                self.global.profile.as_ref().map(|name| {
                    Profile::new(name, server, &client_id, phraseanet_client::AuthMethod::OauthOob)
                });
            let profile = profile.transpose()?;
            let sign_in = SignIn::with_options(ServerUrl::parse(server)?, &client_id, secret, self.http()?)?;
            return Ok((sign_in, profile));
        }
        let profile = self.profile()?;
        let secret = match self.global.client_secret.as_deref() {
            Some(s) => Some(Secret::new(s)),
            None => self.vault().ok().and_then(|v| v.client_secret(&profile.name).ok().flatten()),
        };
        let sign_in = SignIn::with_options(profile.server_url()?, &profile.client_id, secret, self.http()?)?;
        Ok((sign_in, Some(profile)))
    }

    pub fn logout(&self, out: &Out) -> Result<()> {
        let profile = self.profile()?;
        self.vault()?.forget_token(&profile.name)?;
        out.line(&format!("Signed out of {:?}.", profile.name));
        Ok(())
    }
}
