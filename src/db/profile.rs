//! Named connection profiles (`[profiles.NAME]` in the configuration file, `--profile`, `connect(#{profile: …})`):
//! where to connect, with which pool size and retry settings.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::db::retry::RetrySettings;
use crate::db::target::{ConnParams, Secret};
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
        let mut p = match &self.url {
            Some(u) => ConnParams::parse(u).map_err(|e| conn(e.to_string()))?,
            None => ConnParams::default(),
        };
        if let Some(h) = &self.host {
            p.hosts = h.split(',').map(str::to_string).collect();
        }
        if let Some(port) = self.port {
            p.ports = vec![port];
        }
        if let Some(u) = &self.user {
            p.user = Some(u.clone());
        }
        if let Some(d) = &self.dbname {
            p.dbname = Some(d.clone());
        }
        if let Some(m) = &self.sslmode {
            p.sslmode = Some(
                m.parse()
                    .map_err(|_| conn(format!("invalid sslmode \"{m}\"")))?,
            );
        }
        if let Some(r) = &self.sslrootcert {
            p.sslrootcert = Some(r.clone());
        }
        if let Some(a) = &self.application_name {
            p.application_name = Some(a.clone());
        }
        if let Some(var) = &self.password_env {
            let pw = env(var)
                .ok_or_else(|| conn(format!("password_env names ${var}, which is not set")))?;
            p.password = Some(Secret::new(pw));
        }
        Ok(p)
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
