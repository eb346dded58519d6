//! Dates as the real server prints them: PHP `DATE_ATOM` in the server's zone (Europe/Paris, api §4, §6).

use std::time::{SystemTime, UNIX_EPOCH};

/// A MySQL zero datetime as PHP prints it with Europe/Paris (api §7.6).
pub const ZERO_DATE: &str = "-0001-11-30T00:00:00+00:09";

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix time of the last Sunday of `month` at 01:00 UTC (EU summer-time switch).
fn last_sunday_0100(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday.
    let weekday = (last + 4).rem_euclid(7);
    (last - weekday) * 86_400 + 3600
}

/// Europe/Paris offset in seconds at `ts` (EU rules, valid since 1996).
fn paris_offset(ts: i64) -> i64 {
    let (year, _, _) = civil_from_days(ts.div_euclid(86_400));
    if ts >= last_sunday_0100(year, 3) && ts < last_sunday_0100(year, 10) {
        7200
    } else {
        3600
    }
}

/// `DATE_ATOM` (`2025-02-11T09:30:00+01:00`) in Europe/Paris.
pub fn atom(ts: i64) -> String {
    let off = paris_offset(ts);
    let local = ts + off;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+{:02}:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        off / 3600
    )
}

/// `Y/m/d` (search `date_min`/`date_max`) to a Unix time at local midnight.
pub fn parse_ymd(s: &str) -> Option<i64> {
    let mut it = s.trim().split(['/', '-']);
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let utc = days_from_civil(y, m, d) * 86_400;
    Some(utc - paris_offset(utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_follows_paris_time() {
        assert_eq!(atom(0), "1970-01-01T01:00:00+01:00");
        // 2025-07-01T12:00:00Z is summer time.
        assert_eq!(atom(1_751_371_200), "2025-07-01T14:00:00+02:00");
        // 2025-02-11T08:30:00Z is winter time.
        assert_eq!(atom(1_739_262_600), "2025-02-11T09:30:00+01:00");
        assert_eq!(parse_ymd("2025/02/11"), Some(1_739_228_400));
    }
}
