//! Shared server state: the immutable dataset plus the mutable stores (OAuth, baskets, media cache).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::model::{Basket, Data};
use crate::Faults;

/// An authorization code (spec §2.2: 32 hex chars, 30 s, reusable until it expires).
#[derive(Debug, Clone)]
pub struct Code {
    pub app_id: i64,
    pub user_id: i64,
    pub redirect_uri: String,
    pub issued: Instant,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub user_id: i64,
    pub app_id: i64,
}

/// OAuth bookkeeping.
#[derive(Debug, Default)]
pub struct AuthStore {
    pub codes: HashMap<String, Code>,
    pub tokens: HashMap<String, Token>,
    /// (user id, app id) -> revoked
    pub accounts: HashMap<(i64, i64), bool>,
    /// session cookie value -> user id
    pub sessions: HashMap<String, i64>,
}

impl AuthStore {
    /// The user of a valid token: known token whose account is not revoked (spec §2.5, §3).
    pub fn token_user(&self, token: &str) -> Option<i64> {
        let t = self.tokens.get(token)?;
        match self.accounts.get(&(t.user_id, t.app_id)) {
            Some(false) => Some(t.user_id),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
pub struct BasketStore {
    pub baskets: Vec<Basket>,
    pub next_basket_id: i64,
}

pub struct State {
    pub data: Data,
    pub secret: [u8; 32],
    pub require_https: bool,
    pub code_lifetime: Mutex<Duration>,
    pub faults: RwLock<Faults>,
    rng: Mutex<u64>,
    counter: AtomicU64,
    pub auth: Mutex<AuthStore>,
    pub baskets: RwLock<BasketStore>,
}

pub type Shared = Arc<State>;

impl State {
    pub fn new(data: Data, require_https: bool, code_lifetime: Duration, faults: Faults) -> State {
        let mut seed = Sha256::new();
        seed.update(format!("{:?}{:?}", std::time::SystemTime::now(), std::thread::current().id()));
        seed.update((&seed as *const _ as usize).to_le_bytes());
        let secret: [u8; 32] = seed.finalize().into();
        let mut auth = AuthStore::default();
        for (user, app, token) in &data.developer_tokens {
            auth.tokens.insert(token.clone(), Token { user_id: *user, app_id: *app });
            auth.accounts.insert((*user, *app), false);
        }
        for key in &data.revoked_accounts {
            auth.accounts.insert(*key, true);
        }
        let baskets = BasketStore {
            next_basket_id: data.baskets.iter().map(|b| b.id).max().unwrap_or(0) + 1,
            baskets: data.baskets.clone(),
        };
        let rng = faults.seed;
        State {
            data,
            secret,
            require_https,
            code_lifetime: Mutex::new(code_lifetime),
            faults: RwLock::new(faults),
            rng: Mutex::new(rng),
            counter: AtomicU64::new(1),
            auth: Mutex::new(auth),
            baskets: RwLock::new(baskets),
        }
    }

    /// 32 lowercase hex chars, unique and unpredictable (codes, tokens, sessions: md5-like, spec §2.2).
    pub fn random_hex(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut h = Sha256::new();
        h.update(self.secret);
        h.update(n.to_le_bytes());
        h.update(format!("{:?}", Instant::now()));
        hex::encode(&h.finalize()[..16])
    }

    /// Deterministic fault randomness in [0, 1) (splitmix64 seeded by `Faults::seed`).
    pub fn roll(&self) -> f64 {
        let mut s = self.rng.lock().unwrap();
        *s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn reseed(&self, seed: u64) {
        *self.rng.lock().unwrap() = seed;
    }

    /// HMAC-SHA256 with the per-run secret.
    pub fn sign(&self, msg: &[u8]) -> [u8; 32] {
        use hmac::{Mac, SimpleHmac};
        let mut mac = <SimpleHmac<Sha256> as Mac>::new_from_slice(&self.secret).expect("any key length");
        mac.update(msg);
        mac.finalize().into_bytes().into()
    }
}
