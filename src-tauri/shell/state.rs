//! The app's one piece of state: the desktop use cases over the real profile store and keyring, shared
//! with the loopback media endpoint.

use std::sync::Arc;

use phraseanet_app::Desktop;

pub type AppState = Arc<Desktop>;

/// Opens the profiles and the keyring. Without a keyring the app still starts (secrets last for the
/// session, and the window says why); without a config dir it cannot, and says so.
pub fn open() -> AppState {
    match Desktop::open_default_or_session_only() {
        Ok(desktop) => Arc::new(desktop),
        Err(e) => panic!(
            "Phraseanet Desktop cannot open its settings folder: {} {}",
            e.message(),
            e.hint().unwrap_or("")
        ),
    }
}
