//! Bearer tokens: `brt_<id>_<secret>`. The id is public (it names the token
//! in lists and revocations); the secret is 32 random bytes, shown once when
//! the token is made and stored only as an Argon2id hash. A verified token
//! is remembered in memory (a hash check costs tens of milliseconds by
//! design), but whether it was revoked is read from the database on every
//! request, so a revocation takes effect at once.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::store::{Store, StoreError, TokenRow, now};

/// What a token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: String,
    /// Who holds it: recorded with every write it makes.
    pub name: String,
    /// A structure id, or `*`.
    pub scope: String,
    pub can_write: bool,
}

impl Grant {
    /// May it read (and, with `write`, write) structure `id`?
    pub fn allows(&self, id: &str, write: bool) -> bool {
        (self.scope == "*" || self.scope == id) && (!write || self.can_write)
    }

    /// May it create structures?
    pub fn may_create(&self) -> bool {
        self.scope == "*" && self.can_write
    }
}

fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| StoreError::System(format!("no randomness from the system: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn hash(secret: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| StoreError::System(format!("no randomness from the system: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StoreError::System(e.to_string()))?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::System(e.to_string()))
}

/// Makes a token for `name` over `scope` (a structure id or `*`); returns
/// its row and the token text, which is never stored and cannot be shown
/// again.
pub fn create(
    store: &Store,
    name: &str,
    scope: &str,
    can_write: bool,
) -> Result<(TokenRow, String), StoreError> {
    let id = random_hex(6)?;
    let secret = random_hex(32)?;
    let row = TokenRow {
        id: id.clone(),
        name: name.to_string(),
        hash: hash(&secret)?,
        scope: scope.to_string(),
        can_write,
        created_at: now(),
        revoked_at: None,
    };
    store.create_token(&row)?;
    Ok((row, format!("brt_{id}_{secret}")))
}

/// Why a token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    Unknown,
    Revoked,
}

/// Tokens already verified in this process: the token text's id and
/// secret, and the grant.
#[derive(Default)]
pub struct Verified(Mutex<HashMap<String, Grant>>);

impl Verified {
    /// The grant of `token`, or why it has none.
    pub fn check(&self, store: &Store, token: &str) -> Result<Result<Grant, Refusal>, StoreError> {
        let Some((id, secret)) = token
            .strip_prefix("brt_")
            .and_then(|rest| rest.split_once('_'))
        else {
            return Ok(Err(Refusal::Malformed));
        };
        let Some(row) = store.token(id)? else {
            return Ok(Err(Refusal::Unknown));
        };
        if row.revoked_at.is_some() {
            return Ok(Err(Refusal::Revoked));
        }
        if let Ok(known) = self.0.lock()
            && let Some(g) = known.get(token)
        {
            return Ok(Ok(g.clone()));
        }
        let ok = PasswordHash::new(&row.hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(secret.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        if !ok {
            return Ok(Err(Refusal::Unknown));
        }
        let grant = Grant {
            id: row.id,
            name: row.name,
            scope: row.scope,
            can_write: row.can_write,
        };
        if let Ok(mut known) = self.0.lock() {
            known.insert(token.to_string(), grant.clone());
        }
        Ok(Ok(grant))
    }
}
