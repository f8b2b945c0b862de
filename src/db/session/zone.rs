//! The session's TimeZone, which decoding timestamptz values needs: read when connecting, and again when a
//! statement or the end of a transaction may have changed it.

use std::rc::Rc;

use super::{Session, TxStatus};
use crate::sql::scan::{self, TxEffect};

impl Session {
    pub(super) fn set_zone(&mut self, name: &str) {
        if name != self.zone_name {
            // Read the setting the way the server does (POSIX offsets are west-positive there).
            let zone =
                crate::value::datetime::session_zone(name).unwrap_or(jiff::tz::TimeZone::UTC);
            self.zone = Rc::new(zone);
            self.zone_name = name.to_string();
        }
    }

    /// Re-read TimeZone when a statement may have changed it, or a transaction in which one ran has ended
    /// (which undoes SET LOCAL, and any SET of a rolled-back transaction). The sync client does not expose
    /// the server's ParameterStatus reports, so pgsh asks (one round trip, only after such statements).
    pub(super) fn after_settings_change(&mut self, statements: &[String]) {
        let mut touches = false;
        let mut ends = false;
        for s in statements {
            if may_change_settings(s) {
                touches = true;
                if self.tx != TxStatus::Idle {
                    self.zone_dirty = true;
                }
            }
            if matches!(
                scan::tx_effect(s),
                TxEffect::Commit
                    | TxEffect::Rollback
                    | TxEffect::RollbackToSavepoint
                    | TxEffect::PrepareTransaction
            ) || (scan::tx_effect(s) == TxEffect::Begin && self.zone_dirty)
            {
                ends = true;
            }
        }
        let ended_dirty = ends && self.zone_dirty;
        if ended_dirty && self.tx == TxStatus::Idle {
            self.zone_dirty = false;
        }
        if (touches || ended_dirty) && self.tx != TxStatus::Failed {
            self.refresh_zone();
        }
    }

    pub(super) fn refresh_zone(&mut self) {
        if let Some(c) = self.conn.as_deref_mut() {
            if c.refresh_timezone().is_ok() {
                let tz = c.timezone.clone();
                self.set_zone(&tz);
            }
        }
    }
}

/// Statements that may change the session's TimeZone: SET/RESET/DISCARD, and anything naming set_config or
/// TimeZone (a SELECT set_config(...), a DO block that SETs it). A function that sets it without saying so in
/// the statement is not seen until the next such statement or transaction end.
fn may_change_settings(sql: &str) -> bool {
    if matches!(
        scan::leading_keywords(sql, 1).first().map(String::as_str),
        Some("SET" | "RESET" | "DISCARD")
    ) {
        return true;
    }
    let lower = sql.to_ascii_lowercase();
    lower.contains("set_config") || lower.contains("timezone")
}
