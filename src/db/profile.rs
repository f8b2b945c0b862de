//! Named connection profiles (`[profiles.NAME]` in the configuration file, `--profile`, `connect(#{profile: …})`):
//! where to connect, with which pool size and retry settings.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::db::retry::RetrySettings;
use crate::db::target::{ConnFields, ConnParams, Secret};
use crate::error::{Error, ErrorKind, Result};

/// A named connection profile.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub url: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
    pub dbname: Option<String>,
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
    pub application_name: Option<String>,
    /// Name of an environment variable holding the password (passwords do not belong in files).
    pub password_env: Option<String>,
    pub pool_size: Option<u32>,
    #[serde(default)]
    pub retry: RetrySettings,
}

impl Profile {
    /// The profile's connection parameters. `env` reads `password_env`.
    pub fn params(&self, name: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<ConnParams> {
        let conn = |e: String| Error::new(ErrorKind::Connect, format!("profile \"{name}\": {e}"));
        let base = match &self.url {
            Some(u) => ConnParams::parse(u).map_err(|e| conn(e.to_string()))?,
            None => ConnParams::default(),
        };
        let sslmode = match &self.sslmode {
            Some(m) => Some(
                m.parse()
                    .map_err(|_| conn(format!("invalid sslmode \"{m}\"")))?,
            ),
            None => None,
        };
        let password = match &self.password_env {
            Some(var) => Some(Secret::new(env(var).ok_or_else(|| {
                conn(format!("password_env names ${var}, which is not set"))
            })?)),
            None => None,
        };
        Ok(base.with_fields(ConnFields {
            host: self.host.clone(),
            ports: self.port.map(|p| vec![p]),
            user: self.user.clone(),
            password,
            dbname: self.dbname.clone(),
            sslmode,
            sslrootcert: self.sslrootcert.clone(),
            application_name: self.application_name.clone(),
            ..ConnFields::default()
        }))
    }
}

/// The profiles of the configuration file, by name.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct Profiles(pub BTreeMap<String, Profile>);

impl Profiles {
    pub fn get(&self, name: &str) -> Result<&Profile> {
        self.0.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.0.keys().map(String::as_str).collect();
            Error::usage(format!(
                "no profile \"{name}\" in the configuration file{}",
                if known.is_empty() {
                    String::new()
                } else {
                    format!(" (profiles: {})", known.join(", "))
                }
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_keys_refine_its_url() {
        let prof = Profile {
            url: Some("postgres://u@a:1/d?application_name=x".into()),
            host: Some("h".into()),
            port: Some(7),
            sslmode: Some("disable".into()),
            password_env: Some("PW".into()),
            ..Profile::default()
        };
        let p = prof
            .params("p", &|k| (k == "PW").then(|| "s3cret".to_string()))
            .unwrap();
        assert_eq!((p.hosts, p.ports), (vec!["h".to_string()], vec![7]));
        assert_eq!(p.user.as_deref(), Some("u"));
        assert_eq!(p.dbname.as_deref(), Some("d"));
        assert_eq!(p.application_name.as_deref(), Some("x"));
        assert_eq!(p.password.as_ref().map(Secret::expose), Some("s3cret"));
        let e = prof.params("p", &|_| None).unwrap_err().to_string();
        assert!(e.contains("profile \"p\": password_env names $PW"), "{e}");
        let bad = Profile {
            sslmode: Some("maybe".into()),
            ..prof
        };
        let e = bad.params("p", &|_| None).unwrap_err().to_string();
        assert!(e.contains("invalid sslmode \"maybe\""), "{e}");
    }
}
