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

/// The lessons in `dir` in order, with the first line of each file's leading comment as its summary.
fn lessons_in(dir: &std::path::Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
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
    listing_in(&lessons_dir().unwrap_or_default())
}

fn listing_in(dir: &std::path::Path) -> String {
    let all = lessons_in(dir);
    if all.is_empty() {
        return "No lessons found (looked in $PGSH_LESSONS_DIR and scripts/lessons).\n".into();
    }
    // A directory found relative to here is short enough to repeat on each line; one found elsewhere (the
    // source tree pgsh was built from) is named once, so the lines fit a terminal.
    let mut s = if dir.is_relative() {
        String::from("Lessons (run one with \\i PATH):\n")
    } else {
        format!(
            "Lessons in {} (run one with \\i {}/FILE):\n",
            dir.display(),
            dir.display()
        )
    };
    for (p, summary) in all {
        let shown = if dir.is_relative() {
            p.display().to_string()
        } else {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        s.push_str(&format!("  {shown}  {summary}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    /// Found in the source tree (an absolute path), the directory is named once and each line is short.
    #[test]
    fn a_lesson_directory_elsewhere_is_named_once() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/lessons"));
        let text = super::listing_in(dir);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(format!("Lessons in {0} (run one with \\i {0}/FILE):", dir.display()).as_str())
        );
        let first = lines.next().unwrap_or_default();
        assert!(
            first.starts_with("  01_first_contact.rhai  Lesson 1"),
            "{first}"
        );
        assert!(
            lines.all(|l| !l.contains(&dir.display().to_string())),
            "{text}"
        );
    }
}
