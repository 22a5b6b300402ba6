//! The server a person enters, and its `_session` answers: pure text work,
//! so the sync page's messages are tested natively.

use crate::domain::log::wire;
use crate::domain::sync::document::{self, fields};
use crate::domain::vocab::project::District;

/// A database URL as entered (`https://couch.example.cn/project-ledger`):
/// the database, and the server root its `_session` lives under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The database URL, without a trailing slash.
    pub database: String,
    /// Everything before the database's name (a reverse proxy may add a path).
    pub root: String,
}

/// Why the text is not a database URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressError {
    Empty,
    /// Not `http://` or `https://`.
    Scheme,
    /// A server with no database name after it.
    NoDatabase,
    /// A query, a fragment, a space, or a name CouchDB does not allow.
    Malformed,
}

impl Address {
    pub fn parse(text: &str) -> Result<Address, AddressError> {
        let text = text.trim().trim_end_matches('/');
        if text.is_empty() {
            return Err(AddressError::Empty);
        }
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or(AddressError::Scheme)?;
        if text.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') {
            return Err(AddressError::Malformed);
        }
        let (host, path) = rest.split_once('/').ok_or(AddressError::NoDatabase)?;
        if host.is_empty() {
            return Err(AddressError::Malformed);
        }
        let (_, name) = path.rsplit_once('/').unwrap_or(("", path));
        // CouchDB's rule for database names (lower case first letter, then
        // lower case, digits and _$()+-/); `/` is written %2F in a URL.
        let name_ok = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_$()+-%".contains(&b));
        if !name_ok {
            return Err(if name.is_empty() {
                AddressError::NoDatabase
            } else {
                AddressError::Malformed
            });
        }
        Ok(Address {
            database: text.to_owned(),
            root: text[..text.len() - name.len() - 1].to_owned(),
        })
    }

    /// The server's `_session`.
    pub fn session(&self) -> String {
        format!("{}/_session", self.root)
    }

    /// A request path of the database (`_bulk_docs`, …) as a URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.database)
    }
}

/// The `_session` body that signs in.
pub fn sign_in_body(name: &str, password: &str) -> String {
    let mut out = String::from("{");
    wire::key(&mut out, "name", true);
    wire::string(&mut out, name);
    wire::key(&mut out, "password", false);
    wire::string(&mut out, password);
    out.push('}');
    out
}

/// Who a `_session` answer names: after signing in (`{"ok":true,"name":…}`)
/// or when asked (`{"userCtx":{"name":…}}`). `None`: nobody.
pub fn session_user(text: &str) -> Option<String> {
    let answer = fields(text)?;
    let name = match answer.get("userCtx") {
        Some(user) => document::text(&fields(user.get())?, "name"),
        None => document::text(&answer, "name"),
    };
    name.filter(|n| !n.is_empty())
}

/// The roles a `_session` answer gives the person (`roles`, or
/// `userCtx.roles`).
pub fn session_roles(text: &str) -> Vec<String> {
    let Some(answer) = fields(text) else {
        return Vec::new();
    };
    let roles = match answer.get("userCtx") {
        Some(user) => fields(user.get()).and_then(|u| u.get("roles").copied()),
        None => answer.get("roles").copied(),
    };
    roles
        .and_then(document::elements)
        .map(|all| {
            all.into_iter()
                .filter_map(|r| serde_json::from_str::<String>(r.get()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The roles the ledger's access rules know (server/couchdb/validate.js):
/// the city office, city leaders, one per district, and replication.
pub fn ledger_roles() -> Vec<String> {
    let mut roles = vec!["city-office".to_owned(), "city-leader".to_owned()];
    roles.extend(
        District::ALL
            .iter()
            .map(|d| format!("district-{}", d.key())),
    );
    roles.push("ledger-replicator".to_owned());
    roles
}

/// Whether any of `roles` lets the person write to the ledger (a server
/// admin may too). Without one every edit would be refused: sign-in says so
/// instead of starting a sync that can only fail.
pub fn has_ledger_role(roles: &[String]) -> bool {
    let known = ledger_roles();
    roles.iter().any(|r| r == "_admin" || known.contains(r))
}

/// Whether `roles` may write a project or person of `district` (`None`:
/// no district named), as validate.js decides it for a signed-in writer:
/// the city office and city leaders write everywhere, a district's users
/// their district.
pub fn may_write(roles: &[String], district: Option<District>) -> bool {
    let has = |role: &str| roles.iter().any(|r| r == role);
    if has("_admin") || has("ledger-replicator") || has("city-office") || has("city-leader") {
        return true;
    }
    district.is_some_and(|d| has(&format!("district-{}", d.key())))
}

/// The districts `roles` write, when they are district roles only (a city
/// role writes everywhere: `None`).
pub fn own_districts(roles: &[String]) -> Option<Vec<District>> {
    if may_write(roles, None) {
        return None;
    }
    Some(
        District::ALL
            .iter()
            .copied()
            .filter(|d| may_write(roles, Some(*d)))
            .collect(),
    )
}

/// How many documents a database holds, from its info (`GET {db}`): the
/// size of a first download, for its progress.
pub fn doc_count(text: &str) -> Option<u64> {
    fields(text)?.get("doc_count")?.get().parse().ok()
}
