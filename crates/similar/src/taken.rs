//! EXIF capture times (`YYYY-MM-DDTHH:MM:SS[.fff]`, the camera's wall clock) as seconds on one
//! timeline, so two shots of a burst can be compared (offsets are ignored: a burst comes from one
//! camera).

/// Seconds since 1970-01-01 of a wall-clock time, or `None` for anything else.
pub fn seconds(taken_at: &str) -> Option<f64> {
    let (date, time) = taken_at.split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.splitn(3, ':');
    let (h, min) = (
        t.next()?.parse::<i64>().ok()?,
        t.next()?.parse::<i64>().ok()?,
    );
    let s: f64 = t.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || h > 23 || min > 59 || s >= 61.0 {
        return None;
    }
    Some((days_from_civil(y, m, day) * 86_400 + h * 3600 + min * 60) as f64 + s)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wall_clock_times() {
        assert_eq!(seconds("1970-01-01T00:00:00"), Some(0.0));
        assert_eq!(seconds("2000-03-01T00:00:01.5"), Some(951_868_801.5));
        let a = seconds("2024-12-31T23:59:58").unwrap();
        let b = seconds("2025-01-01T00:00:03").unwrap();
        assert_eq!(b - a, 5.0);
        assert_eq!(seconds("2024-13-01T00:00:00"), None);
        assert_eq!(seconds("yesterday"), None);
    }
}
