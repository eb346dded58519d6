//! The signed-in profiles: one [`Session`] each and the browse state built on it, kept and ended
//! together. A token the server rejects (`signed-out`, api §3) ends both wherever the rejection
//! happens (a basket, a record, a media, a download's listing): the hook is registered once, when a
//! session is kept, rather than checked at each call site, so the UI's re-sign-in dialog always
//! starts from a clean state. Downloads are not here: they outlive sessions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use phraseanet_client::{Api, Session};

use crate::browse::BrowseSession;

#[derive(Default)]
pub(crate) struct Sessions(Arc<Live>);

#[derive(Default)]
struct Live {
    sessions: Mutex<HashMap<String, Session>>,
    browse: Mutex<HashMap<String, Arc<BrowseSession>>>,
}

impl Sessions {
    pub fn get(&self, name: &str) -> Option<Session> {
        self.0.sessions.lock().expect("sessions lock").get(name).cloned()
    }

    /// Keeps `session` as the profile's. A session not kept before drops the browse state built on
    /// the previous one, and from now on its rejected token ends it.
    pub fn keep(&self, name: &str, session: Session) {
        let mut all = self.0.sessions.lock().expect("sessions lock");
        let known = all.get(name).is_some_and(|s| s.api().is(session.api()));
        if !known {
            self.0.browse.lock().expect("browse lock").remove(name);
            let (live, profile) = (Arc::downgrade(&self.0), name.to_string());
            session.api().on_signed_out(move |api| end_if_current(&live, &profile, api));
        }
        all.insert(name.to_string(), session);
    }

    /// Forgets a profile's session and browse state (sign-out, new settings, revoked token).
    pub fn end(&self, name: &str) {
        self.0.end(name);
    }

    pub fn browse(&self, name: &str) -> Option<Arc<BrowseSession>> {
        self.0.browse.lock().expect("browse lock").get(name).cloned()
    }

    /// Keeps `state` as the profile's browse state unless another was kept meanwhile, and returns the
    /// one kept.
    pub fn keep_browse(&self, name: &str, state: Arc<BrowseSession>) -> Arc<BrowseSession> {
        self.0.browse.lock().expect("browse lock").entry(name.to_string()).or_insert(state).clone()
    }

    /// Drops every profile's browse state (the media cache moved).
    pub fn clear_browse(&self) {
        self.0.browse.lock().expect("browse lock").clear();
    }
}

impl Live {
    fn end(&self, name: &str) {
        // Same lock order as `keep`: sessions, then browse.
        let mut all = self.sessions.lock().expect("sessions lock");
        all.remove(name);
        self.browse.lock().expect("browse lock").remove(name);
    }
}

/// A rejection from an API the profile no longer uses (a download started before a new sign-in) must
/// not end the newer session.
fn end_if_current(live: &Weak<Live>, name: &str, api: &Api) {
    let Some(live) = live.upgrade() else { return };
    let current = live.sessions.lock().expect("sessions lock").get(name).is_some_and(|s| s.api().is(api));
    if current {
        live.end(name);
    }
}
