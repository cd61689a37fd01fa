//! The benchmark's results: one [`Column`] of cells per window manager, the rows they
//! fill, and their rendering as a markdown table with ratios to oxtile, or as JSON.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// One measurement's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number, in the row's unit.
    Value(f64),
    /// Does not apply to this window manager (no bar; the bare server has no focus).
    NotApplicable,
    /// Tried and failed (timed out, crashed): why.
    Failed(String),
}

impl Cell {
    /// The number, if there is one.
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Value(v) => Some(*v),
            _ => None,
        }
    }
}

/// A row of the table: a key (for JSON and code), what it measures, and its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable key, e.g. `map.200`.
    pub key: String,
    /// What the row measures, as the table shows it.
    pub label: String,
    /// Unit of the values: `ms`, `MiB` or `count`.
    pub unit: &'static str,
}

/// One window manager's results.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// Short name: `oxtile`, `none`, `i3`…
    pub wm: String,
    /// The version it reports.
    pub version: String,
    /// Cells by row key; a missing key reads as not applicable.
    pub cells: BTreeMap<String, Cell>,
}

impl Column {
    /// The cell of a row.
    pub fn cell(&self, key: &str) -> &Cell {
        self.cells.get(key).unwrap_or(&Cell::NotApplicable)
    }

    /// Set a cell.
    pub fn set(&mut self, key: impl Into<String>, cell: Cell) {
        self.cells.insert(key.into(), cell);
    }
}

/// A whole run: when, where, with what options, and the columns.
#[derive(Debug, Clone)]
pub struct Report {
    /// When it ran (UTC).
    pub date: String,
    /// The machine, e.g. "2 cores, Intel(R) Xeon(R) Processor, Linux 6.1".
    pub machine: String,
    /// The options it ran with (as JSON, shown below the table).
    pub options: Value,
    /// The rows, in order.
    pub rows: Vec<Row>,
    /// One per window manager, in the order given.
    pub columns: Vec<Column>,
}

impl Report {
    /// A markdown table: one row per measurement, one column per window manager, each
    /// value followed by its ratio to oxtile's (peer / oxtile) when both are numbers.
    pub fn markdown(&self) -> String {
        let oxtile = self.columns.iter().find(|c| c.wm == "oxtile");
        let mut out = format!("{} — {}\n\n| |", self.date, self.machine);
        for c in &self.columns {
            out += &format!(" {} |", c.wm);
        }
        out += "\n|---|";
        out += &"---|".repeat(self.columns.len());
        out += "\n";
        for row in &self.rows {
            out += &format!("| {} ({}) |", row.label, row.unit);
            for c in &self.columns {
                let cell = c.cell(&row.key);
                let mut text = format_cell(cell, row.unit);
                let base = oxtile.and_then(|o| o.cell(&row.key).value());
                if let (Some(v), Some(base), false) = (cell.value(), base, c.wm == "oxtile") {
                    if base > 0.0 {
                        text += &format!(" ({})", format_ratio(v / base));
                    }
                }
                out += &format!(" {text} |");
            }
            out += "\n";
        }
        out += "\nVersions: ";
        out += &self
            .columns
            .iter()
            .map(|c| format!("{}: {}", c.wm, c.version))
            .collect::<Vec<_>>()
            .join("; ");
        out += &format!("\nOptions: {}\n", self.options);
        let failures: Vec<String> = self
            .columns
            .iter()
            .flat_map(|c| {
                c.cells.iter().filter_map(move |(key, cell)| match cell {
                    Cell::Failed(why) => Some(format!("- {} {key}: {why}", c.wm)),
                    _ => None,
                })
            })
            .collect();
        if !failures.is_empty() {
            out += "\nFailures:\n";
            out += &failures.join("\n");
            out += "\n";
        }
        out
    }

    /// The report as JSON: values as numbers, `null` for not applicable, `{"error": …}`
    /// for failures.
    pub fn json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| json!({ "key": r.key, "label": r.label, "unit": r.unit }))
            .collect();
        let results: serde_json::Map<String, Value> = self
            .columns
            .iter()
            .map(|c| {
                let cells: serde_json::Map<String, Value> = self
                    .rows
                    .iter()
                    .map(|r| {
                        let v = match c.cell(&r.key) {
                            Cell::Value(v) => json!(v),
                            Cell::NotApplicable => Value::Null,
                            Cell::Failed(why) => json!({ "error": why }),
                        };
                        (r.key.clone(), v)
                    })
                    .collect();
                (
                    c.wm.clone(),
                    json!({ "version": c.version, "results": cells }),
                )
            })
            .collect();
        json!({
            "date": self.date,
            "machine": self.machine,
            "options": self.options,
            "rows": rows,
            "window_managers": results,
        })
    }
}

fn format_cell(cell: &Cell, unit: &str) -> String {
    match cell {
        Cell::Value(v) if unit == "count" => format!("{v:.0}"),
        Cell::Value(v) => format_number(*v),
        Cell::NotApplicable => "n/a".into(),
        Cell::Failed(_) => "failed".into(),
    }
}

/// Three significant digits or so, never scientific: 0.412, 12.3, 10860.
fn format_number(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn format_ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.1}×")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let mut oxtile = Column {
            wm: "oxtile".into(),
            version: "oxtile 0.1.0".into(),
            ..Column::default()
        };
        oxtile.set("map.200", Cell::Value(20.0));
        oxtile.set("bar", Cell::NotApplicable);
        let mut i3 = Column {
            wm: "i3".into(),
            version: "i3 4.22".into(),
            ..Column::default()
        };
        i3.set("map.200", Cell::Value(10860.0));
        i3.set("bar", Cell::Value(31.5));
        let mut awesome = Column {
            wm: "awesome".into(),
            version: "awesome 4.3".into(),
            ..Column::default()
        };
        awesome.set("map.200", Cell::Failed("not settled after 60 s".into()));
        Report {
            date: "2024-01-01 00:00 UTC".into(),
            machine: "2 cores".into(),
            options: json!({ "rounds": 3 }),
            rows: vec![
                Row {
                    key: "map.200".into(),
                    label: "map 200".into(),
                    unit: "ms",
                },
                Row {
                    key: "bar".into(),
                    label: "bar painted".into(),
                    unit: "ms",
                },
            ],
            columns: vec![oxtile, i3, awesome],
        }
    }

    #[test]
    fn the_table_shows_ratios_to_oxtile_and_names_failures() {
        let table = report().markdown();
        assert!(
            table.contains("| map 200 (ms) | 20.0 | 10860 (543×) | failed |"),
            "{table}"
        );
        assert!(
            table.contains("| bar painted (ms) | n/a | 31.5 | n/a |"),
            "{table}"
        );
        assert!(
            table.contains("- awesome map.200: not settled after 60 s"),
            "{table}"
        );
        assert!(table.contains("i3: i3 4.22"), "{table}");
    }

    #[test]
    fn json_has_numbers_nulls_and_errors() {
        let v = report().json();
        let wms = &v["window_managers"];
        assert_eq!(wms["i3"]["results"]["map.200"], json!(10860.0));
        assert_eq!(wms["oxtile"]["results"]["bar"], Value::Null);
        assert_eq!(
            wms["awesome"]["results"]["map.200"]["error"],
            json!("not settled after 60 s")
        );
    }
}
