//! The SQL lessons that come with pgsh (`scripts/lessons/`): finding them and listing them for `\lessons`.

use std::path::PathBuf;

/// Where the lessons are: `$PGSH_LESSONS_DIR`, `./scripts/lessons`, or the source tree pgsh was built from.
pub fn lessons_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("PGSH_LESSONS_DIR").map(PathBuf::from),
        Some(PathBuf::from("scripts/lessons")),
        Some(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/lessons"
        ))),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

/// The lessons in order, with the first line of each file's leading comment as its summary.
pub fn lessons() -> Vec<(PathBuf, String)> {
    let Some(dir) = lessons_dir() else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rhai"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let summary = std::fs::read_to_string(&p)
                .ok()
                .and_then(|t| {
                    t.lines()
                        .map(str::trim)
                        .find(|l| l.starts_with("//") && l.trim_start_matches('/').trim().len() > 3)
                        .map(|l| l.trim_start_matches('/').trim().to_string())
                })
                .unwrap_or_default();
            (p, summary)
        })
        .collect()
}

/// `\lessons`: one line per lesson, and how to run one.
pub fn listing() -> String {
    let all = lessons();
    if all.is_empty() {
        return "No lessons found (looked in $PGSH_LESSONS_DIR and scripts/lessons).\n".into();
    }
    let mut s = String::from("Lessons (run one with \\i PATH):\n");
    for (p, summary) in all {
        s.push_str(&format!("  {}  {}\n", p.display(), summary));
    }
    s
}
