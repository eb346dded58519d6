//! Wall-clock time as the files and the UI keep it: seconds since 1970 (UTC).

pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
