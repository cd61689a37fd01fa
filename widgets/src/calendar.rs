//! A month as a grid of text lines with today marked: what the clock's calendar popup
//! shows. Pure (dates in, lines out); the bar draws the popup window.

use chrono::{Datelike, Months, NaiveDate, Weekday};

/// One month laid out in lines of text, monospace-aligned:
///
/// ```text
///      March 2024
/// Mo Tu We Th Fr Sa Su
///              1  2  3
///  4  5  6  7  8  9 10
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthGrid {
    /// The first day of the month shown.
    pub month: NaiveDate,
    /// Title ("March 2024", centred in the grid's width), the weekday header, then one
    /// line per week; every line is 20 characters wide.
    pub lines: Vec<String>,
    /// Where today is: (line index, character column of its two-character cell), when
    /// today is in this month.
    pub today: Option<(usize, usize)>,
}

impl MonthGrid {
    /// The grid as Pango markup, today in bold and underlined (for a popup drawn with
    /// [`crate::text`]).
    pub fn to_markup(&self) -> String {
        let mut out = Vec::with_capacity(self.lines.len());
        for (i, line) in self.lines.iter().enumerate() {
            match self.today {
                // The grid is ASCII, so character columns are byte offsets.
                Some((l, col)) if l == i && col + 2 <= line.len() => out.push(format!(
                    "{}<b><u>{}</u></b>{}",
                    &line[..col],
                    &line[col..col + 2],
                    &line[col + 2..]
                )),
                _ => out.push(line.clone()),
            }
        }
        out.join("\n")
    }
}

/// The month containing `day`, shifted by `month_offset` months (-1: the month before), with
/// `today` marked if it falls in it. Weeks start on `week_start`. None only for months
/// beyond chrono's range.
pub fn month_grid(
    day: NaiveDate,
    month_offset: i32,
    today: Option<NaiveDate>,
    week_start: Weekday,
) -> Option<MonthGrid> {
    let first = day.with_day(1)?;
    let first = if month_offset >= 0 {
        first.checked_add_months(Months::new(month_offset.unsigned_abs()))?
    } else {
        first.checked_sub_months(Months::new(month_offset.unsigned_abs()))?
    };
    let title = format!("{} {}", month_name(first.month()), first.year());
    let mut lines = vec![format!("{title:^20}")];
    const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
    let start = week_start.num_days_from_monday() as usize;
    let header: Vec<&str> = (0..7).map(|i| DAYS[(start + i) % 7]).collect();
    lines.push(header.join(" "));

    let lead = first.weekday().days_since(week_start) as usize;
    let mut cells: Vec<String> = vec!["  ".to_string(); lead];
    let mut today_at = None;
    let mut d = Some(first);
    while let Some(day) = d.filter(|d| d.month() == first.month()) {
        if Some(day) == today {
            let idx = cells.len();
            today_at = Some((2 + idx / 7, (idx % 7) * 3));
        }
        cells.push(format!("{:>2}", day.day()));
        d = day.succ_opt();
    }
    while !cells.len().is_multiple_of(7) {
        cells.push("  ".into());
    }
    for week in cells.chunks(7) {
        lines.push(week.join(" "));
    }
    Some(MonthGrid {
        month: first,
        lines,
        today: today_at,
    })
}

fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(m.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn march_2024_starting_monday_with_today_marked() {
        let g =
            month_grid(date(2024, 3, 10), 0, Some(date(2024, 3, 10)), Weekday::Mon).expect("grid");
        assert_eq!(
            g.lines,
            [
                "     March 2024     ",
                "Mo Tu We Th Fr Sa Su",
                "             1  2  3",
                " 4  5  6  7  8  9 10",
                "11 12 13 14 15 16 17",
                "18 19 20 21 22 23 24",
                "25 26 27 28 29 30 31",
            ]
        );
        assert_eq!(g.today, Some((3, 18)));
        assert_eq!(&g.lines[3][18..20], "10");
        assert!(g.to_markup().contains(" 9 <b><u>10</u></b>"));
    }

    #[test]
    fn other_months_sunday_weeks_and_no_today() {
        let g =
            month_grid(date(2024, 3, 10), -1, Some(date(2024, 3, 10)), Weekday::Sun).expect("grid");
        assert_eq!(g.month, date(2024, 2, 1));
        assert_eq!(g.lines[1], "Su Mo Tu We Th Fr Sa");
        assert_eq!(g.lines[2], "             1  2  3");
        assert_eq!(
            g.lines.last().map(String::as_str),
            Some("25 26 27 28 29      ")
        );
        assert_eq!(g.today, None);
        let g = month_grid(date(2024, 12, 31), 1, None, Weekday::Mon).expect("grid");
        assert_eq!(g.month, date(2025, 1, 1));
        assert!(month_grid(NaiveDate::MAX, 1, None, Weekday::Mon).is_none());
    }
}
