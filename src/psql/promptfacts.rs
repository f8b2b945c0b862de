//! The facts `%` escapes of the prompt show, gathered from the engine and its session (psql reads them
//! from libpq: `PQdb`, `PQhost`, `PQtransactionStatus`, …).

use crate::psql::engine::Engine;
use crate::psql::prompt::{get_prompt, PromptConn, PromptEnv, PromptFacts, PromptStatus, TxStatus};
use crate::psql::scan::PromptStatus as ScanStatus;

struct Env<'a> {
    e: &'a mut Engine,
}

impl PromptEnv for Env<'_> {
    fn var(&self, name: &str) -> Option<String> {
        self.e.vars.get(name).map(str::to_string)
    }

    fn run_command(&mut self, cmd: &str) -> Option<Vec<u8>> {
        std::process::Command::new("/bin/sh")
            .arg("-c")
            .arg(cmd)
            .output()
            .ok()
            .map(|o| o.stdout)
    }
}

fn map_status(s: ScanStatus) -> PromptStatus {
    match s {
        ScanStatus::Ready => PromptStatus::Ready,
        ScanStatus::Continue => PromptStatus::Continue,
        ScanStatus::Comment => PromptStatus::Comment,
        ScanStatus::SingleQuote => PromptStatus::SingleQuote,
        ScanStatus::DoubleQuote => PromptStatus::DoubleQuote,
        ScanStatus::DollarQuote => PromptStatus::DollarQuote,
        ScanStatus::Paren => PromptStatus::Paren,
        ScanStatus::Copy => PromptStatus::Copy,
    }
}

/// The prompt for `status` with its escapes expanded.
pub fn prompt(e: &mut Engine, status: ScanStatus, conditional_active: bool) -> String {
    let conn_info = e.db.as_ref().and_then(|db| {
        let s = db.try_session().ok()?;
        let info = s.server_info()?.clone();
        let session_user = s
            .parameter_status("session_authorization")
            .unwrap_or_else(|| info.user.clone());
        let superuser = s.parameter_status("is_superuser").as_deref() == Some("on");
        let connected = s.is_connected();
        let tx = match s.tx_status() {
            crate::db::session::TxStatus::Idle => TxStatus::Idle,
            crate::db::session::TxStatus::InTransaction => TxStatus::InTrans,
            crate::db::session::TxStatus::Failed => TxStatus::InError,
        };
        // A COPY is a command in progress: libpq's PQTRANS_ACTIVE (`%x` shows `*`).
        let tx = match (connected, status) {
            (false, _) => TxStatus::Unknown,
            (true, ScanStatus::Copy) => TxStatus::Active,
            (true, _) => tx,
        };
        Some((info, session_user, superuser, tx))
    });
    let port;
    let facts = PromptFacts {
        conn: match &conn_info {
            Some((info, session_user, superuser, tx)) => {
                port = info.port.to_string();
                Some(PromptConn {
                    dbname: &info.database,
                    user: &info.user,
                    session_user,
                    host: Some(info.host.as_str()).filter(|h| !h.is_empty()),
                    port: Some(port.as_str()),
                    backend_pid: info.pid,
                    superuser: *superuser,
                    tx: *tx,
                })
            }
            None => None,
        },
        status: map_status(status),
        conditional_active,
        pgdatabase_env: None,
    };
    let pgdatabase = std::env::var("PGDATABASE").ok();
    let facts = PromptFacts {
        pgdatabase_env: pgdatabase.as_deref(),
        ..facts
    };
    let settings = e.set.clone();
    let mut state = e.prompt_state;
    let text = {
        let mut env = Env { e };
        get_prompt(&settings, &facts, &mut env, &mut state)
    };
    e.prompt_state = state;
    text
}
