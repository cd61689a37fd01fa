//! The broken-config corpus (tests/broken-configs/*.lua): `oxtile check` refuses each one
//! with exit status 1 and names the file and the line of the problem, as its first line
//! (`-- expect: LINE`, or `-- expect: file` for a problem with the whole file) says.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a corpus file's first line promises.
enum Expect {
    Line(u32),
    File,
}

fn expectation(path: &Path, source: &[u8]) -> Expect {
    let first = source.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let value = first
        .strip_prefix("-- expect: ")
        .unwrap_or_else(|| panic!("{} does not start with `-- expect: `", path.display()))
        .trim();
    match value {
        "file" => Expect::File,
        n => Expect::Line(
            n.parse()
                .unwrap_or_else(|_| panic!("{}: bad expectation {n:?}", path.display())),
        ),
    }
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-configs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    files.sort();
    files
}

#[test]
fn oxtile_check_reports_every_broken_config_with_file_and_line() {
    let files = corpus();
    assert!(files.len() >= 30, "the corpus has {} configs", files.len());
    let mut wrong = Vec::new();
    for path in &files {
        let source = std::fs::read(path).expect("read the corpus file");
        let expect = expectation(path, &source);
        let out = Command::new(env!("CARGO_BIN_EXE_oxtile"))
            .arg("check")
            .arg(path)
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .output()
            .expect("run oxtile check");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = path.display().to_string();
        let first = stderr.lines().next().unwrap_or_default();
        let located = match expect {
            Expect::Line(n) => first.starts_with(&format!("{name}:{n}: ")),
            Expect::File => first.starts_with(&format!("{name}: ")),
        };
        if out.status.code() != Some(1) || !located {
            wrong.push(format!(
                "{name}: exit {:?}, first line {first:?}",
                out.status.code()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "not reported as promised:\n{}",
        wrong.join("\n")
    );
}
