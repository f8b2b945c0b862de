//! The configuration file (`$XDG_CONFIG_HOME/pgsh/config.toml`): retry and pool defaults, and named
//! connection profiles. The same retry settings shape is what `connect(#{retry: #{…}})` takes.
//!
//! ```toml
//! [retry]
//! attempts = 0          # 0 = unlimited within the deadline
//! delay = "250ms"
//! backoff = 2.0
//! max_delay = "5s"
//! jitter = "full"       # or "none"
//! deadline = "30s"      # "0" = never give up
//! connect_timeout = "5s"
//!
//! [pool]
//! size = 4
//! idle_timeout = "5m"
//! max_lifetime = "30m"
//! validation_timeout = "2s"
//! statement_cache = 256
//!
//! [limits]             # script safety limits (0 = unlimited)
//! max_operations = 0
//! max_call_levels = 256
//! max_string_size = 0  # bytes; the data-size limits are off by default (they make push() quadratic)
//!
//! [profiles.shop]
//! url = "postgres://app@db.example.com/shop"
//! password_env = "SHOP_PASSWORD"
//! retry = { attempts = 10, delay = "2s", backoff = 1.0 }
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::pool::PoolSettings;
use crate::db::profile::Profiles;
use crate::db::retry::{DurationValue, RetrySettings};
use crate::error::{Error, Result};

/// Pool settings from the file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PoolFile {
    pub size: Option<u32>,
    pub idle_timeout: Option<DurationValue>,
    pub max_lifetime: Option<DurationValue>,
    pub validation_timeout: Option<DurationValue>,
    pub statement_cache: Option<usize>,
}

impl PoolFile {
    pub fn apply(&self, p: &mut PoolSettings) -> Result<()> {
        let bad = |what: &str, e: String| Error::usage(format!("config: pool {what}: {e}"));
        if let Some(n) = self.size {
            if n == 0 {
                return Err(bad("size", "must be at least 1".into()));
            }
            p.size = n;
        }
        if let Some(d) = &self.idle_timeout {
            p.idle_timeout = Some(d.get().map_err(|e| bad("idle_timeout", e))?);
        }
        if let Some(d) = &self.max_lifetime {
            p.max_lifetime = Some(d.get().map_err(|e| bad("max_lifetime", e))?);
        }
        if let Some(d) = &self.validation_timeout {
            p.validation_timeout = d.get().map_err(|e| bad("validation_timeout", e))?;
        }
        if let Some(n) = self.statement_cache {
            p.statement_cache = n.max(1);
        }
        Ok(())
    }
}

/// Safety limits for scripts (all optional; see `script::limits::Limits` for the defaults).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LimitsFile {
    pub max_operations: Option<u64>,
    pub max_call_levels: Option<usize>,
    pub max_expr_depth: Option<usize>,
    pub max_string_size: Option<usize>,
    pub max_array_size: Option<usize>,
    pub max_map_size: Option<usize>,
}

impl LimitsFile {
    pub fn apply(&self, l: &mut crate::script::limits::Limits) {
        if let Some(v) = self.max_operations {
            l.max_operations = v;
        }
        if let Some(v) = self.max_call_levels {
            l.max_call_levels = v;
        }
        if let Some(v) = self.max_expr_depth {
            l.max_expr_depth = v;
        }
        if let Some(v) = self.max_string_size {
            l.max_string_size = v;
        }
        if let Some(v) = self.max_array_size {
            l.max_array_size = v;
        }
        if let Some(v) = self.max_map_size {
            l.max_map_size = v;
        }
    }
}

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub retry: RetrySettings,
    #[serde(default)]
    pub pool: PoolFile,
    #[serde(default)]
    pub limits: LimitsFile,
    #[serde(default)]
    pub profiles: Profiles,
}

impl FileConfig {
    pub fn parse(text: &str, origin: &Path) -> Result<FileConfig> {
        toml::from_str(text)
            .map_err(|e| Error::usage(format!("{}: {}", origin.display(), e.message())))
    }
}

/// Where the file is: `$PGSH_CONFIG`, else `$XDG_CONFIG_HOME/pgsh/config.toml`, else `~/.config/pgsh/config.toml`.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> Option<PathBuf> {
    if let Some(p) = env("PGSH_CONFIG").filter(|s| !s.is_empty()) {
        return Some(PathBuf::from(p));
    }
    if let Some(x) = env("XDG_CONFIG_HOME").filter(|s| !s.is_empty()) {
        return Some(PathBuf::from(x).join("pgsh/config.toml"));
    }
    env("HOME").map(|h| PathBuf::from(h).join(".config/pgsh/config.toml"))
}

/// Read the file if it exists (a missing file is an empty configuration; a broken one is an error).
pub fn load(path: Option<&Path>) -> Result<FileConfig> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => FileConfig::parse(&text, path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(Error::io(format!("cannot read {}", path.display()), &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::retry::RetryPolicy;
    use std::time::Duration;

    const SAMPLE: &str = r#"
[retry]
attempts = 3
delay = "1s"
deadline = 0

[pool]
size = 2

[profiles.shop]
url = "postgres://app@db.example.com/shop"
password_env = "SHOP_PW"
retry = { attempts = 10, delay = "2s", backoff = 1.0 }
"#;

    #[test]
    fn parses_layers_and_profiles() {
        let c = FileConfig::parse(SAMPLE, Path::new("config.toml")).unwrap();
        let mut p = RetryPolicy::default();
        c.retry.apply(&mut p, "config").unwrap();
        assert_eq!(p.attempts, 3);
        assert_eq!(p.delay, Duration::from_secs(1));
        assert_eq!(p.deadline, None);
        let prof = c.profiles.get("shop").unwrap();
        prof.retry.apply(&mut p, "profile").unwrap();
        assert_eq!(
            (p.attempts, p.delay, p.backoff),
            (10, Duration::from_secs(2), 1.0)
        );
        let params = prof
            .params("shop", &|k| (k == "SHOP_PW").then(|| "pw".to_string()))
            .unwrap();
        assert_eq!(params.hosts, vec!["db.example.com".to_string()]);
        assert_eq!(
            params.password.map(|s| s.expose().to_string()),
            Some("pw".into())
        );
        let mut pool = PoolSettings::default();
        c.pool.apply(&mut pool).unwrap();
        assert_eq!(pool.size, 2);
    }

    #[test]
    fn errors_name_the_problem() {
        let e =
            FileConfig::parse("[retry]\nattempts = \"many\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().starts_with("c.toml:"), "{e}");
        let e = FileConfig::parse("[retyr]\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("retyr"), "{e}");
        let c = FileConfig::default();
        assert!(c
            .profiles
            .get("nope")
            .unwrap_err()
            .to_string()
            .contains("no profile \"nope\""));
        // A jitter is read as one when the file is: a bad word is an error there, naming the file.
        let e = FileConfig::parse("[retry]\njitter = \"sometimes\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml:")
                && e.contains("invalid jitter \"sometimes\": expected full or none"),
            "{e}"
        );
        let c = FileConfig::parse("[retry]\njitter = \"OFF\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(c.retry.jitter, Some(crate::db::retry::Jitter::None));
        let bad = RetrySettings {
            backoff: Some(0.5),
            ..RetrySettings::default()
        };
        assert!(bad.apply(&mut RetryPolicy::default(), "x").is_err());
    }
}
