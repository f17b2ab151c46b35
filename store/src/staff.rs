//! Staff accounts, their roles, their sessions and the failed sign-ins that lock them. The
//! rules (what a strong password is, when a session has expired, how many failures lock an
//! account) are the server's; this module keeps the rows, and every change that must hold on
//! every instance (a code accepted once, sessions ended at once) is one statement.

use crate::{Db, Executor, StoreError};

/// What a staff member may do. A user may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Customer service: the agent console.
    Agent,
    /// The security team: triage, the takedown data, the official list.
    Analyst,
    /// Writes and publishes fraud bulletins.
    Publisher,
    /// Manages staff accounts, reply scripts, and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Self::Agent, Self::Analyst, Self::Publisher, Self::Admin];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Analyst => "analyst",
            Self::Publisher => "publisher",
            Self::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// A staff member as the consoles see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    /// Sorted, each once.
    pub roles: Vec<Role>,
    pub must_change_password: bool,
    /// Whether the second factor has been enrolled (a code from it accepted once).
    pub totp_confirmed: bool,
    pub disabled: bool,
    pub created_at: String,
}

impl StaffUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// What signing in needs to know of an account, read by login name.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: StaffUser,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub failed_attempts: i64,
    pub locked_until: Option<String>,
}

type UserRow = (
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    i64,
    Option<String>,
    String,
);

const USER_COLUMNS: &str = "id, login, display_name, password_hash, must_change_password, totp_secret, \
     totp_confirmed, totp_last_step, disabled_at, failed_attempts, locked_until, created_at";

/// Creates an account with its roles; the login name must be free.
pub async fn create_user(
    conn: &mut sqlx::AnyConnection,
    login: &str,
    display_name: &str,
    password_hash: &str,
    roles: &[Role],
    now: &str,
) -> Result<i64, StoreError> {
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO staff_users (login, display_name, password_hash, must_change_password, created_at)
         VALUES ($1, $2, $3, 1, $4) ON CONFLICT (login) DO NOTHING RETURNING id",
    )
    .bind(login)
    .bind(display_name)
    .bind(password_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id,)) = inserted else {
        return Err(StoreError::Duplicate(format!("a staff account named {login:?} already exists")));
    };
    set_roles(conn, id, roles).await?;
    Ok(id)
}

/// Replaces a user's roles.
pub async fn set_roles(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    roles: &[Role],
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staff_roles WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    for role in roles {
        sqlx::query("INSERT INTO staff_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id)
            .bind(role.code())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The account signed in as `login` (already lower-cased), with what checking it needs.
pub async fn credentials(db: &Db, login: &str) -> Result<Option<Credentials>, StoreError> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM staff_users WHERE login = $1"))
            .bind(login)
            .fetch_optional(db)
            .await?;
    match row {
        Some(row) => Ok(Some(credentials_from(db, row).await?)),
        None => Ok(None),
    }
}

/// The account with id `id`, with what checking it needs.
pub async fn credentials_by_id(db: &Db, id: i64) -> Result<Option<Credentials>, StoreError> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM staff_users WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    match row {
        Some(row) => Ok(Some(credentials_from(db, row).await?)),
        None => Ok(None),
    }
}

/// The user with id `id`.
pub async fn user(db: &Db, id: i64) -> Result<Option<StaffUser>, StoreError> {
    Ok(credentials_by_id(db, id).await?.map(|c| c.user))
}

/// Every account, by login name.
pub async fn users(db: &Db) -> Result<Vec<StaffUser>, StoreError> {
    let rows: Vec<UserRow> =
        sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM staff_users ORDER BY login"))
            .fetch_all(db)
            .await?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        users.push(credentials_from(db, row).await?.user);
    }
    Ok(users)
}

async fn credentials_from(db: &Db, row: UserRow) -> Result<Credentials, StoreError> {
    let (
        id,
        login,
        display_name,
        password_hash,
        must_change,
        totp_secret,
        confirmed,
        last_step,
        disabled_at,
        failed,
        locked_until,
        created_at,
    ) = row;
    let codes: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM staff_roles WHERE user_id = $1 ORDER BY role")
            .bind(id)
            .fetch_all(db)
            .await?;
    let mut roles = Vec::with_capacity(codes.len());
    for (code,) in codes {
        roles.push(
            Role::parse(&code).ok_or_else(|| {
                StoreError::invalid_row("staff_roles", id, format!("unknown role {code:?}"))
            })?,
        );
    }
    roles.sort();
    Ok(Credentials {
        user: StaffUser {
            id,
            login,
            display_name,
            roles,
            must_change_password: must_change != 0,
            totp_confirmed: confirmed != 0,
            disabled: disabled_at.is_some(),
            created_at,
        },
        password_hash,
        totp_secret,
        totp_last_step: last_step,
        failed_attempts: failed,
        locked_until,
    })
}

/// Counts a wrong password or code; from the `lock_after`-th in a row the account refuses
/// sign-in until `lock_until`. Returns the count.
pub async fn record_failure<'c>(
    conn: impl Executor<'c>,
    user_id: i64,
    lock_after: i64,
    lock_until: &str,
) -> Result<i64, StoreError> {
    let (count,): (i64,) = sqlx::query_as(
        "UPDATE staff_users SET failed_attempts = failed_attempts + 1,
             locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3 ELSE locked_until END
         WHERE id = $1 RETURNING failed_attempts",
    )
    .bind(user_id)
    .bind(lock_after)
    .bind(lock_until)
    .fetch_one(conn)
    .await?;
    Ok(count)
}

/// Forgets the failures once the right password and code have been given.
pub async fn clear_failures<'c>(conn: impl Executor<'c>, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_users SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets a new password hash; `one_time` for a reset (changed at the next sign-in).
pub async fn set_password<'c>(
    conn: impl Executor<'c>,
    user_id: i64,
    password_hash: &str,
    one_time: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_users SET password_hash = $2, must_change_password = $3 WHERE id = $1")
        .bind(user_id)
        .bind(password_hash)
        .bind(i64::from(one_time))
        .execute(conn)
        .await?;
    Ok(())
}

/// Starts enrolling a second factor: a new secret, not yet confirmed (a reset does the same).
pub async fn set_totp_secret<'c>(
    conn: impl Executor<'c>,
    user_id: i64,
    secret: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE staff_users SET totp_secret = $2, totp_confirmed = 0, totp_last_step = NULL WHERE id = $1",
    )
    .bind(user_id)
    .bind(secret)
    .execute(conn)
    .await?;
    Ok(())
}

/// Accepts the code of time step `step`, once: false when this or a later step's code was
/// already accepted (a replayed code), on whichever instance. Confirms the enrolment.
pub async fn accept_totp_step<'c>(
    conn: impl Executor<'c>,
    user_id: i64,
    step: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE staff_users SET totp_last_step = $2, totp_confirmed = 1
         WHERE id = $1 AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(user_id)
    .bind(step)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables (with the time) or re-enables an account. The caller ends its sessions.
pub async fn set_disabled<'c>(
    conn: impl Executor<'c>,
    user_id: i64,
    disabled_at: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_users SET disabled_at = $2 WHERE id = $1")
        .bind(user_id)
        .bind(disabled_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// How far a session has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; the second factor is still to come.
    Password,
    /// Both factors: signed in.
    Full,
}

impl Stage {
    pub fn code(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Full => "full",
        }
    }
}

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user_id: i64,
    pub stage: Stage,
    pub created_at: String,
    pub last_seen_at: String,
}

/// Stores a new session under the hash of its token.
pub async fn create_session<'c>(
    conn: impl Executor<'c>,
    token_hash: &str,
    user_id: i64,
    stage: Stage,
    now: &str,
    client: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO staff_sessions (token_hash, user_id, stage, created_at, last_seen_at, client)
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(stage.code())
    .bind(now)
    .bind(client)
    .execute(conn)
    .await?;
    Ok(())
}

/// The session whose token hashes to `token_hash`.
pub async fn session(db: &Db, token_hash: &str) -> Result<Option<Session>, StoreError> {
    let row: Option<(i64, String, String, String)> = sqlx::query_as(
        "SELECT user_id, stage, created_at, last_seen_at FROM staff_sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    let Some((user_id, stage, created_at, last_seen_at)) = row else { return Ok(None) };
    let stage = match stage.as_str() {
        "password" => Stage::Password,
        "full" => Stage::Full,
        other => {
            return Err(StoreError::invalid_row(
                "staff_sessions",
                user_id,
                format!("unknown stage {other:?}"),
            ))
        }
    };
    Ok(Some(Session { user_id, stage, created_at, last_seen_at }))
}

/// Notes that the session was used now (its idle limit counts from here).
pub async fn touch_session(db: &Db, token_hash: &str, now: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn end_session<'c>(conn: impl Executor<'c>, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

/// Ends every session of a user, on every instance at once; returns how many there were.
pub async fn end_sessions_of<'c>(conn: impl Executor<'c>, user_id: i64) -> Result<u64, StoreError> {
    let done =
        sqlx::query("DELETE FROM staff_sessions WHERE user_id = $1").bind(user_id).execute(conn).await?;
    Ok(done.rows_affected())
}

/// How many sessions a user has open.
pub async fn session_count(db: &Db, user_id: i64) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM staff_sessions WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// Removes sessions idle since before `idle_before` or created before `created_before`
/// (each request checks both limits itself; this only keeps the table small).
pub async fn remove_expired_sessions(
    db: &Db,
    idle_before: &str,
    created_before: &str,
) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Counts a failed sign-in from a client address (shared by every instance).
pub async fn record_client_failure<'c>(
    conn: impl Executor<'c>,
    client: &str,
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO sign_in_failures (client, at) VALUES ($1, $2)")
        .bind(client)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// How many sign-ins from `client` failed since `since`; older failures are forgotten.
pub async fn client_failures_since(db: &Db, client: &str, since: &str) -> Result<i64, StoreError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(since).execute(db).await?;
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM sign_in_failures WHERE client = $1 AND at >= $2")
        .bind(client)
        .bind(since)
        .fetch_one(db)
        .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fresh_db;

    const NOW: &str = "2026-12-01T10:00:00Z";

    #[tokio::test]
    async fn an_account_keeps_its_roles_sorted_and_refuses_a_second_of_the_same_name() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let id = create_user(
            &mut db.acquire().await.unwrap(),
            "mei",
            "Mei",
            "$argon2id$x",
            &[Role::Analyst, Role::Agent, Role::Agent],
            NOW,
        )
        .await
        .unwrap();
        let user = user(&db, id).await.unwrap().unwrap();
        assert_eq!(user.roles, vec![Role::Agent, Role::Analyst]);
        assert!(user.must_change_password, "a new account's password is one-time");
        assert!(!user.totp_confirmed && !user.disabled);
        let again =
            create_user(&mut db.acquire().await.unwrap(), "mei", "Other", "$argon2id$y", &[Role::Admin], NOW)
                .await;
        assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
        assert_eq!(credentials(&db, "mei").await.unwrap().unwrap().password_hash, "$argon2id$x");
    }

    #[tokio::test]
    async fn a_code_is_accepted_once_and_never_an_older_one() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let id = create_user(&mut db.acquire().await.unwrap(), "mei", "Mei", "h", &[Role::Agent], NOW)
            .await
            .unwrap();
        assert!(!accept_totp_step(&db, id, 100).await.unwrap(), "no secret yet");
        set_totp_secret(&db, id, Some("JBSWY3DPEHPK3PXP")).await.unwrap();
        assert!(accept_totp_step(&db, id, 100).await.unwrap());
        assert!(user(&db, id).await.unwrap().unwrap().totp_confirmed);
        assert!(!accept_totp_step(&db, id, 100).await.unwrap(), "the same code again");
        assert!(!accept_totp_step(&db, id, 99).await.unwrap(), "an older code");
        assert!(accept_totp_step(&db, id, 101).await.unwrap());
    }

    #[tokio::test]
    async fn failures_lock_the_account_from_the_limit_and_clear_on_success() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let id = create_user(&mut db.acquire().await.unwrap(), "mei", "Mei", "h", &[Role::Agent], NOW)
            .await
            .unwrap();
        for expected in 1..=4 {
            assert_eq!(record_failure(&db, id, 5, "2026-12-01T10:15:00Z").await.unwrap(), expected);
        }
        assert_eq!(credentials(&db, "mei").await.unwrap().unwrap().locked_until, None);
        record_failure(&db, id, 5, "2026-12-01T10:15:00Z").await.unwrap();
        assert_eq!(
            credentials(&db, "mei").await.unwrap().unwrap().locked_until.as_deref(),
            Some("2026-12-01T10:15:00Z")
        );
        clear_failures(&db, id).await.unwrap();
        let after = credentials(&db, "mei").await.unwrap().unwrap();
        assert_eq!((after.failed_attempts, after.locked_until), (0, None));
    }

    #[tokio::test]
    async fn ending_a_users_sessions_ends_every_one_of_them() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let mei = create_user(&mut db.acquire().await.unwrap(), "mei", "Mei", "h", &[Role::Agent], NOW)
            .await
            .unwrap();
        let kai = create_user(&mut db.acquire().await.unwrap(), "kai", "Kai", "h", &[Role::Agent], NOW)
            .await
            .unwrap();
        let hash = |c: char| c.to_string().repeat(64);
        create_session(&db, &hash('a'), mei, Stage::Full, NOW, "127.0.0.1").await.unwrap();
        create_session(&db, &hash('b'), mei, Stage::Password, NOW, "127.0.0.1").await.unwrap();
        create_session(&db, &hash('c'), kai, Stage::Full, NOW, "127.0.0.1").await.unwrap();
        assert_eq!(session(&db, &hash('b')).await.unwrap().unwrap().stage, Stage::Password);
        assert_eq!(end_sessions_of(&db, mei).await.unwrap(), 2);
        assert_eq!(session(&db, &hash('a')).await.unwrap(), None);
        assert!(session(&db, &hash('c')).await.unwrap().is_some(), "another user's session stays");
    }

    #[tokio::test]
    async fn client_failures_are_counted_in_the_window_and_then_forgotten() {
        let (_dir, db) = fresh_db().await.expect("test database");
        for at in ["2026-12-01T09:00:00Z", "2026-12-01T09:58:00Z", "2026-12-01T09:59:00Z"] {
            record_client_failure(&db, "192.0.2.1", at).await.unwrap();
        }
        record_client_failure(&db, "192.0.2.2", NOW).await.unwrap();
        assert_eq!(client_failures_since(&db, "192.0.2.1", "2026-12-01T09:45:00Z").await.unwrap(), 2);
        let (kept,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM sign_in_failures").fetch_one(&db).await.unwrap();
        assert_eq!(kept, 3, "the old failure is forgotten");
    }
}
