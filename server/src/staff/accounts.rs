//! Creating staff accounts: from the command line (`server user add`), for the demo, and
//! later from the admin console. A new account has a one-time password, changed at its first
//! sign-in, where its second factor is also enrolled. Each creation is audited.

use store::audit::{self, NewEntry};
use store::staff::{self as accounts, Role};
use store::{Db, StoreError};

use super::password;

/// Why an account could not be created, in words that say what to change.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "the sign-in name {0:?} must be 3 to 64 characters: lower-case letters, digits, '.', '-' or '_'"
    )]
    BadLogin(String),
    #[error("give at least one role: agent, analyst, publisher or admin")]
    NoRole,
    #[error("{0}")]
    Hashing(#[from] password::HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A sign-in name as stored, if it is one: lower case, 3 to 64 of `a-z 0-9 . - _`.
pub fn valid_login(login: &str) -> Option<String> {
    let login = login.trim().to_lowercase();
    let ok = (3..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    ok.then_some(login)
}

/// A new account.
#[derive(Debug)]
pub struct Created {
    pub id: i64,
    pub login: String,
    /// Shown once, to whoever creates the account; never stored or logged.
    pub one_time_password: String,
}

/// Creates an account with a one-time password, audited as done by `actor` (`cli`, `demo`,
/// or an admin's login name).
pub async fn create(
    db: &Db,
    login: &str,
    display_name: &str,
    roles: &[Role],
    actor: (Option<i64>, &str),
) -> Result<Created, AccountError> {
    let login = valid_login(login).ok_or_else(|| AccountError::BadLogin(login.to_owned()))?;
    if roles.is_empty() {
        return Err(AccountError::NoRole);
    }
    let display_name = match display_name.trim() {
        "" => login.clone(),
        name => name.chars().take(100).collect(),
    };
    let one_time_password = password::one_time()?;
    let otp = one_time_password.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&otp))
        .await
        .map_err(|e| password::HashError::from_join(&e))??;
    let mut tx = audit::begin(db).await?;
    let id =
        accounts::create_user(&mut tx, &login, &display_name, &hash, roles, &store::now_rfc3339()).await?;
    let roles_text: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    let entry = NewEntry::new("user_create")
        .by(actor.0, actor.1)
        .on(format!("user:{id}"))
        .change("", format!("login={login} roles={}", roles_text.join(",")));
    audit::append(&mut tx, &entry).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Created { id, login, one_time_password })
}

/// The demo's staff: one account per role, created once, when the database has no staff yet.
pub async fn create_demo_users(db: &Db) -> Result<Vec<(Role, Created)>, AccountError> {
    if !accounts::users(db).await?.is_empty() {
        return Ok(Vec::new());
    }
    let mut created = Vec::new();
    for role in Role::ALL {
        let login = format!("demo-{}", role.code());
        let name = format!("Demo {}", role.code());
        created.push((role, create(db, &login, &name, &[role], (None, "demo")).await?));
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_name_is_lower_case_letters_digits_and_a_few_marks() {
        assert_eq!(valid_login(" Mei.Chen "), Some("mei.chen".to_owned()));
        assert_eq!(valid_login("ab"), None);
        assert_eq!(valid_login("mei chen"), None);
        assert_eq!(valid_login("梅"), None);
        assert_eq!(valid_login(&"a".repeat(65)), None);
    }

    #[tokio::test]
    async fn a_created_account_has_a_one_time_password_and_is_audited() {
        let (_dir, db) = store::testing::fresh_db().await.expect("test database");
        let created = create(&db, "Mei", "", &[Role::Agent], (None, "cli")).await.expect("created");
        let stored = accounts::credentials(&db, "mei").await.expect("read").expect("account");
        assert!(stored.user.must_change_password);
        assert!(password::verify(&created.one_time_password, &stored.password_hash));
        let log = audit::search(&db, &audit::Filter::default(), 10).await.expect("log");
        assert_eq!((log[0].action.as_str(), log[0].actor.as_str()), ("user_create", "cli"));
        assert!(!log[0].after.contains(&created.one_time_password), "never the password");
        assert!(matches!(
            create(&db, "mei", "", &[Role::Admin], (None, "cli")).await,
            Err(AccountError::Store(StoreError::Duplicate(_)))
        ));
        assert!(matches!(create(&db, "kai", "", &[], (None, "cli")).await, Err(AccountError::NoRole)));
    }
}
