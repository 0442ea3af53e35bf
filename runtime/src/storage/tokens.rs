//! API tokens: two scopes, stored as SHA-256 hashes; the plain token is returned once, when
//! it is made, and never stored.

use chrono::{DateTime, Utc};
use rand::RngCore;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Store;
use crate::error::Result;

/// The plain token of before scopes (meta key), taken over as the admin token at open.
const LEGACY_KEY: &str = "api_token";

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenScope {
    /// Publish, pause, resume, stop, catalog, segments, reads — and everything ingest may.
    Admin,
    /// Contacts, consent records, triggers, interactions and runs.
    Ingest,
}

impl TokenScope {
    /// Both scopes.
    pub const ALL: [TokenScope; 2] = [TokenScope::Admin, TokenScope::Ingest];

    /// `admin` or `ingest`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Admin => "admin",
            TokenScope::Ingest => "ingest",
        }
    }
}

/// The hash a token is stored and compared as (hex SHA-256).
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// A new random token: 32 bytes, hex.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Make a token for every scope that has none (a plain token from before scopes becomes
    /// the admin token). Returns the tokens made, to be shown once.
    pub fn ensure_tokens(&self, now: DateTime<Utc>) -> Result<Vec<(TokenScope, String)>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let legacy: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [LEGACY_KEY], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(plain) = legacy {
            tx.execute(
                "INSERT OR IGNORE INTO api_token (scope, sha256, created_at) VALUES ('admin', ?1, ?2)",
                params![token_hash(&plain), now.timestamp_millis()],
            )?;
            tx.execute("DELETE FROM meta WHERE key = ?1", [LEGACY_KEY])?;
        }
        let mut made = Vec::new();
        for scope in TokenScope::ALL {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM api_token WHERE scope = ?1)",
                [scope.as_str()],
                |r| r.get(0),
            )?;
            if !exists {
                let token = new_token();
                tx.execute(
                    "INSERT INTO api_token (scope, sha256, created_at) VALUES (?1, ?2, ?3)",
                    params![scope.as_str(), token_hash(&token), now.timestamp_millis()],
                )?;
                made.push((scope, token));
            }
        }
        tx.commit()?;
        Ok(made)
    }

    /// Replace a scope's token by `token` (hashed); the old one stops working.
    pub fn set_token(&self, scope: TokenScope, token: &str, now: DateTime<Utc>) -> Result<()> {
        self.conn().execute(
            "INSERT INTO api_token (scope, sha256, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(scope) DO UPDATE SET sha256 = excluded.sha256, created_at = excluded.created_at",
            params![scope.as_str(), token_hash(token), now.timestamp_millis()],
        )?;
        Ok(())
    }

    /// Make a new token for `scope`, replacing the old one; returns it (shown once).
    pub fn rotate_token(&self, scope: TokenScope, now: DateTime<Utc>) -> Result<String> {
        let token = new_token();
        self.set_token(scope, &token, now)?;
        Ok(token)
    }

    /// The stored hash of each scope's token.
    pub fn token_hashes(&self) -> Result<Vec<(TokenScope, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT scope, sha256 FROM api_token ORDER BY scope")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (scope, hash) = row?;
            let scope = match scope.as_str() {
                "admin" => TokenScope::Admin,
                _ => TokenScope::Ingest,
            };
            out.push((scope, hash));
        }
        Ok(out)
    }
}
