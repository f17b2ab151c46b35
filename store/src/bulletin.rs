//! Fraud bulletins: the firm's public warnings, newest first.

use crate::{Db, StoreError};

/// A published fraud bulletin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bulletin {
    pub slug: String,
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`
    pub published_on: String,
}

/// Reads the `limit` newest bulletins.
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT slug, title, body, published_on FROM bulletins ORDER BY published_on DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, body, published_on)| Bulletin { slug, title, body, published_on })
        .collect())
}

/// How many of the newest bulletins are searched for a host: years of bulletins at the
/// firm's pace, and a bound on the work one domain page can cause.
const SEARCHED_BULLETINS: i64 = 1000;

/// The newest bulletins (at most `limit`) that name `host` or, when given, any host of its
/// registrable domain `site`, however the bulletin wrote it (`kgi357。com`, `kgi357[.]com`).
pub async fn mentioning(
    db: &Db,
    host: &str,
    site: Option<&str>,
    limit: usize,
) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT slug, title, body, published_on FROM bulletins ORDER BY published_on DESC, id DESC LIMIT $1",
    )
    .bind(SEARCHED_BULLETINS)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, body, published_on)| Bulletin { slug, title, body, published_on })
        .filter(|b| mentions(&b.title, host, site) || mentions(&b.body, host, site))
        .take(limit)
        .collect())
}

/// Whether `text` has a link to `host`, or to any host of `site`: the links are found the
/// way a check finds them, so a mere substring (`kgi357.com` in `xkgi357.com`) is no mention.
pub fn mentions(text: &str, host: &str, site: Option<&str>) -> bool {
    engine::extract(text)
        .into_iter()
        .filter(|c| c.kind.is_link())
        .filter_map(|c| engine::canonicalize(&c.value).ok())
        .any(|url| {
            let named = url.host_str();
            named == host || site.is_some_and(|s| engine::domain::registrable_domain(named) == Some(s))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulletin_mentions_a_host_however_it_is_written() {
        assert!(mentions("假網址 kkpp.kgi357.com 請小心", "kkpp.kgi357.com", Some("kgi357.com")));
        assert!(mentions("假網址 kkpp.kgi357。com", "kgi357.com", Some("kgi357.com")));
        assert!(mentions("hxxps://kgi357[.]com/login", "kgi357.com", Some("kgi357.com")));
        assert!(mentions("見 https://89.106.207.153/index", "89.106.207.153", None));
    }

    #[test]
    fn a_lookalike_neighbour_is_not_a_mention() {
        assert!(!mentions("xkgi357.com", "kgi357.com", Some("kgi357.com")));
        assert!(!mentions("kgi357.com.tw", "kgi357.com", Some("kgi357.com")));
        assert!(
            !mentions("kkpp.kgi357.com", "www.kgi357.com", None),
            "without the site, only the host counts"
        );
        assert!(!mentions("沒有連結", "kgi357.com", Some("kgi357.com")));
    }

    #[tokio::test]
    async fn the_demo_bulletin_naming_the_fake_site_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::open(&format!("sqlite:{}", dir.path().join("b.db").display())).await.unwrap();
        crate::demo::load(&db).await.unwrap();
        let found = mentioning(&db, "kgi357.com", Some("kgi357.com"), 5).await.unwrap();
        assert_eq!(found.iter().map(|b| b.slug.as_str()).collect::<Vec<_>>(), ["verify-real-website"]);
        assert!(mentioning(&db, "example.org", Some("example.org"), 5).await.unwrap().is_empty());
    }
}
