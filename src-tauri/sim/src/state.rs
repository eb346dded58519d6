//! Shared server state: the immutable dataset plus the mutable stores (OAuth, baskets, media cache).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::model::{Basket, Data};
use crate::profile::{Behind, ServerProfile};
use crate::reqlog::RequestLog;
use crate::{Faults, SimOptions};

/// An authorization code (api §2.2: 32 hex chars, 30 s, reusable until it expires).
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
    /// Only with `SimOptions::token_lifetime` (Phraseanet's tokens never expire, api §2.5).
    pub expires: Option<Instant>,
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
    /// The user of a valid token: known token whose account is not revoked (api §2.5, §3).
    pub fn token_user(&self, token: &str) -> Option<i64> {
        let t = self.tokens.get(token)?;
        if t.expires.is_some_and(|at| Instant::now() >= at) {
            return None;
        }
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
    /// Ids of elements added through `/api/v2/baskets/{id}/records/`.
    pub next_element_id: i64,
}

/// How the double was started (the parts handlers read).
#[derive(Debug, Clone)]
pub struct Config {
    pub profile: ServerProfile,
    pub behind: Behind,
    /// The double itself speaks HTTPS.
    pub tls: bool,
    pub require_https: bool,
    pub php_per_element: Duration,
    pub php_time_limit: Duration,
    pub api_disabled: bool,
    pub rate_limit_per_sec: u32,
    /// Bytes per second of each media body (`SimOptions::media_bandwidth`).
    pub media_bandwidth: Option<u64>,
    /// Media routes answer 200 with the whole body whatever the Range (`SimOptions::ignore_range`).
    pub ignore_range: bool,
}

impl Config {
    pub fn from_options(o: &SimOptions) -> Config {
        Config {
            profile: o.server_profile,
            behind: o.behind,
            tls: o.tls || o.behind == Behind::TlsProxy,
            require_https: o.require_https,
            php_per_element: o.php_per_element,
            php_time_limit: o.php_time_limit,
            api_disabled: o.api_disabled,
            rate_limit_per_sec: o.rate_limit_per_sec,
            media_bandwidth: o.media_bandwidth,
            ignore_range: o.ignore_range,
        }
    }

    /// The scheme of the absolute URLs PHP builds: what *it* sees (docs/real-servers.md, "Media").
    pub fn url_scheme(&self) -> &'static str {
        if self.tls && self.behind != Behind::TlsProxy {
            "https"
        } else {
            "http"
        }
    }
}

/// nginx `limit_req`-like token bucket: `rate` per second, burst `rate` (docs/real-servers.md, "Media").
pub struct Bucket {
    tokens: f64,
    last: Instant,
}

pub struct State {
    pub data: Data,
    pub secret: [u8; 32],
    pub config: Config,
    pub code_lifetime: Mutex<Duration>,
    pub token_lifetime: Option<Duration>,
    pub faults: RwLock<Faults>,
    rng: Mutex<u64>,
    counter: AtomicU64,
    pub auth: Mutex<AuthStore>,
    pub baskets: RwLock<BasketStore>,
    pub requests: Arc<RequestLog>,
    bucket: Mutex<Bucket>,
}

pub type Shared = Arc<State>;

impl State {
    pub fn new(data: Data, options: &SimOptions) -> State {
        let config = Config::from_options(options);
        let mut seed = Sha256::new();
        seed.update(format!("{:?}{:?}", std::time::SystemTime::now(), std::thread::current().id()));
        seed.update((&seed as *const _ as usize).to_le_bytes());
        let secret: [u8; 32] = seed.finalize().into();
        let mut auth = AuthStore::default();
        for (user, app, token) in &data.developer_tokens {
            auth.tokens.insert(token.clone(), Token { user_id: *user, app_id: *app, expires: None });
            auth.accounts.insert((*user, *app), false);
        }
        for key in &data.revoked_accounts {
            auth.accounts.insert(*key, true);
        }
        let baskets = BasketStore {
            next_basket_id: data.baskets.iter().map(|b| b.id).max().unwrap_or(0) + 1,
            next_element_id: data.baskets.iter().flat_map(|b| &b.elements).map(|e| e.id).max().unwrap_or(0)
                + 1,
            baskets: data.baskets.clone(),
        };
        let faults = options.faults.clone();
        let rng = faults.seed;
        let bucket = Bucket { tokens: config.rate_limit_per_sec as f64, last: Instant::now() };
        State {
            data,
            secret,
            config,
            code_lifetime: Mutex::new(options.code_lifetime),
            token_lifetime: options.token_lifetime,
            faults: RwLock::new(faults),
            rng: Mutex::new(rng),
            counter: AtomicU64::new(1),
            auth: Mutex::new(auth),
            baskets: RwLock::new(baskets),
            requests: Arc::default(),
            bucket: Mutex::new(bucket),
        }
    }

    /// Takes one token from the rate-limit bucket; false: over the limit.
    pub fn take_rate_token(&self) -> bool {
        let rate = self.config.rate_limit_per_sec.max(1) as f64;
        let mut b = self.bucket.lock().unwrap();
        let now = Instant::now();
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate).min(rate);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// 32 lowercase hex chars, unique and unpredictable (codes, tokens, sessions: md5-like, api §2.2).
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
