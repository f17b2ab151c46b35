//! Public reports of a suspicious link or message: validated, stored with the links the
//! engine finds in them, and counted per host so the security team sees what is spreading.

use engine::{canonicalize, extract, CandidateKind};

use crate::{now_rfc3339, Db, StoreError};

/// The longest reported text, in UTF-8 bytes: the same as the check's paste limit.
pub const MAX_TEXT_BYTES: usize = engine::MAX_MESSAGE_BYTES;

/// The longest optional note, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// Where the reporter saw the link or message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Sms,
    Line,
    Email,
    Website,
    PhoneCall,
    Other,
}

impl Channel {
    /// Every channel, in the order the form offers them.
    pub const ALL: [Channel; 6] =
        [Self::Sms, Self::Line, Self::Email, Self::Website, Self::PhoneCall, Self::Other];

    /// The stable code stored in the database and posted by the form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Line => "line",
            Self::Email => "email",
            Self::Website => "website",
            Self::PhoneCall => "phone",
            Self::Other => "other",
        }
    }

    /// Reads a channel code; anything else is not a channel we offer.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// Why a report cannot be accepted as written. Each names what to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("the report is empty")]
    Empty,
    #[error("the report is {bytes} bytes, over the {MAX_TEXT_BYTES}-byte limit")]
    TooLong { bytes: usize },
    #[error("the note is {chars} characters, over the {MAX_NOTE_CHARS}-character limit")]
    NoteTooLong { chars: usize },
    #[error("{0:?} is not a place we ask about")]
    UnknownChannel(String),
}

/// A link found in a report: its host, and the registrable domain that host belongs to
/// (the host itself for an IP address or a name the suffix list does not know).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportedLink {
    pub host: String,
    pub domain: String,
}

/// A report that passed validation, with the links found in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReport {
    text: String,
    channel: Channel,
    note: String,
    links: Vec<ReportedLink>,
    contacts: Vec<ReportedContact>,
}

/// A phone number (E.164) or LINE ID (lower case, without `@`) found in a report: what the
/// report names when it has no link, or besides its links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportedContact {
    /// `phone` or `line_id`, as the triage queue names subjects.
    pub kind: &'static str,
    pub value: String,
}

impl NewReport {
    /// Validates a report as the form posted it: text required and at most 64 KB, a channel
    /// from the list, an optional note at most [`MAX_NOTE_CHARS`] characters.
    pub fn parse(text: &str, channel: &str, note: &str) -> Result<Self, ReportError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(ReportError::TooLong { bytes: text.len() });
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(ReportError::Empty);
        }
        let channel =
            Channel::parse(channel).ok_or_else(|| ReportError::UnknownChannel(channel.to_owned()))?;
        let note = note.trim();
        let chars = note.chars().count();
        if chars > MAX_NOTE_CHARS {
            return Err(ReportError::NoteTooLong { chars });
        }
        Ok(Self {
            links: links_in(text),
            contacts: contacts_in(text),
            text: text.to_owned(),
            channel,
            note: note.to_owned(),
        })
    }

    /// The phone numbers and LINE IDs the engine found in the text, each once.
    pub fn contacts(&self) -> &[ReportedContact] {
        &self.contacts
    }

    /// The links the engine found in the text, each host once.
    pub fn links(&self) -> &[ReportedLink] {
        &self.links
    }
}

/// The most link hosts kept of one report: as many as an answer shows.
const MAX_REPORTED_LINKS: usize = engine::MAX_SHOWN_FINDINGS;

/// Every distinct link host in `text`, in order of first appearance (at most
/// [`MAX_REPORTED_LINKS`]).
fn links_in(text: &str) -> Vec<ReportedLink> {
    let mut links: Vec<ReportedLink> = Vec::new();
    for candidate in extract(text) {
        if links.len() >= MAX_REPORTED_LINKS {
            break;
        }
        if !matches!(candidate.kind, CandidateKind::Url | CandidateKind::Domain | CandidateKind::Ip) {
            continue;
        }
        let Ok(url) = canonicalize(&candidate.value) else { continue };
        let host = url.host_str().to_owned();
        if host.is_empty() || host.len() > 253 || links.iter().any(|l| l.host == host) {
            continue;
        }
        let domain = engine::domain::registrable_domain(&host).unwrap_or(&host).to_owned();
        links.push(ReportedLink { host, domain });
    }
    links
}

/// Every distinct phone number and LINE ID in `text`, in order (at most
/// [`MAX_REPORTED_LINKS`]), read as the check reads them.
pub fn contacts_in(text: &str) -> Vec<ReportedContact> {
    let mut contacts: Vec<ReportedContact> = Vec::new();
    for candidate in extract(text) {
        if contacts.len() >= MAX_REPORTED_LINKS {
            break;
        }
        let kind = match candidate.kind {
            CandidateKind::Phone => "phone",
            CandidateKind::LineId => "line_id",
            _ => continue,
        };
        let value = candidate.value;
        if value.is_empty() || value.len() > 64 || contacts.iter().any(|c| c.kind == kind && c.value == value)
        {
            continue;
        }
        contacts.push(ReportedContact { kind, value });
    }
    contacts
}

/// Records the contacts of report `id`, in the writer's transaction.
async fn insert_contacts(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    contacts: &[ReportedContact],
    now: &str,
) -> Result<(), StoreError> {
    for contact in contacts {
        sqlx::query(
            "INSERT INTO report_contacts (report_id, kind, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(contact.kind)
        .bind(&contact.value)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE reports SET contacts_indexed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Reads the phone numbers and LINE IDs of reports stored before they were recorded (once,
/// at start-up, by the first of the instances that start together). Returns how many.
pub async fn index_missing_contacts(db: &Db) -> Result<usize, StoreError> {
    const MISSING: &str = "SELECT id, text FROM reports WHERE contacts_indexed_at IS NULL ORDER BY id";
    if sqlx::query_as::<_, (i64, String)>(MISSING).fetch_optional(db).await?.is_none() {
        return Ok(0);
    }
    let mut tx = crate::lock::lock(db, crate::demo::FIRM_DATA_LOCK).await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(MISSING).fetch_all(&mut *tx).await?;
    let now = now_rfc3339();
    for (id, text) in &rows {
        insert_contacts(&mut tx, *id, &contacts_in(text), &now).await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// What the reporter is shown once the report is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The reference to quote: `XXXX-XXXX`.
    pub reference: String,
    /// Each reported host with the number of reports (this one included) that name it.
    pub hosts: Vec<HostCount>,
}

/// How many reports name one host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostCount {
    pub host: String,
    pub reports: i64,
}

/// How many times a fresh reference may collide before giving up (40 random bits each).
const REFERENCE_ATTEMPTS: usize = 5;

/// Stores a report and its links in one transaction and returns its receipt. A report
/// that cannot be stored leaves nothing behind.
pub async fn submit(db: &Db, report: &NewReport) -> Result<Receipt, StoreError> {
    let now = now_rfc3339();
    let mut tx = db.begin().await?;
    let mut stored = None;
    for _ in 0..REFERENCE_ATTEMPTS {
        let mut bytes = [0u8; 5];
        getrandom::fill(&mut bytes).map_err(|_| StoreError::NoFreeReference)?;
        let reference = reference_from(&bytes);
        let inserted = sqlx::query_as::<_, (i64,)>(
            "INSERT INTO reports (reference, text, channel, note, status, created_at)
             VALUES ($1, $2, $3, $4, 'new', $5)
             ON CONFLICT (reference) DO NOTHING RETURNING id",
        )
        .bind(&reference)
        .bind(&report.text)
        .bind(report.channel.code())
        .bind(&report.note)
        .bind(&now)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((id,)) = inserted {
            stored = Some((id, reference));
            break;
        }
    }
    let Some((id, reference)) = stored else {
        return Err(StoreError::NoFreeReference);
    };
    for (position, link) in (0_i64..).zip(&report.links) {
        sqlx::query("INSERT INTO report_links (report_id, host, domain, position) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&link.host)
            .bind(&link.domain)
            .bind(position)
            .execute(&mut *tx)
            .await?;
    }
    insert_contacts(&mut tx, id, &report.contacts, &now).await?;
    tx.commit().await?;
    let hosts = counts_for(db, id).await?;
    Ok(Receipt { reference, hosts })
}

/// The receipt of a stored report, if `reference` names one. Says nothing of its text.
pub async fn receipt(db: &Db, reference: &str) -> Result<Option<Receipt>, StoreError> {
    let reference = reference.trim().to_ascii_uppercase();
    let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM reports WHERE reference = $1")
        .bind(&reference)
        .fetch_optional(db)
        .await?;
    let Some((id,)) = found else { return Ok(None) };
    Ok(Some(Receipt { reference, hosts: counts_for(db, id).await? }))
}

/// How many reports name `host`.
pub async fn count_for_host(db: &Db, host: &str) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM report_links WHERE host = $1")
        .bind(host.to_ascii_lowercase())
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// How many reports wait for the security team's triage (status `new`).
pub async fn waiting(db: &Db) -> Result<i64, StoreError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM reports WHERE status = 'new'").fetch_one(db).await?;
    Ok(n)
}

/// How many reports name each registrable domain, most reported first (for triage).
pub async fn counts_by_domain(db: &Db, limit: i64) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT domain, count(DISTINCT report_id) AS n FROM report_links
         GROUP BY domain ORDER BY n DESC, domain LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The hosts of report `id`, each with its count over all reports.
async fn counts_for(db: &Db, id: i64) -> Result<Vec<HostCount>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT mine.host, (SELECT count(*) FROM report_links every WHERE every.host = mine.host)
         FROM report_links mine WHERE mine.report_id = $1 ORDER BY mine.position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(host, reports)| HostCount { host, reports }).collect())
}

/// Crockford base 32 without the letters that read as digits (I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Eight characters from 40 random bits, split in two for reading aloud: `7K3M-9Q2P`.
fn reference_from(bytes: &[u8]) -> String {
    let bits = bytes.iter().take(5).fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let chars: String = (0..8).rev().map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    use crate::testing::fresh_db;

    async fn stored_reports(db: &Db) -> i64 {
        sqlx::query_as::<_, (i64,)>("SELECT count(*) FROM reports").fetch_one(db).await.unwrap().0
    }

    #[test]
    fn the_phone_numbers_and_line_ids_of_a_report_are_read_as_the_check_reads_them() {
        let contacts =
            contacts_in("請打 02-2345-6789 或 +886 2 2345 6789，加 LINE @KGI_vip888，再打 0223456789");
        let found: Vec<(&str, &str)> = contacts.iter().map(|c| (c.kind, c.value.as_str())).collect();
        assert_eq!(found, [("phone", "+886223456789"), ("line_id", "kgi_vip888")]);
    }

    #[tokio::test]
    async fn a_report_is_stored_as_new_with_the_hosts_found_in_it() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let report = NewReport::parse(
            "【凱基】請至 kkpp.kgi357。com/index/login 驗證，或 hxxp://89[.]106[.]207[.]153/",
            "sms",
            "",
        )
        .unwrap();
        let receipt = submit(&db, &report).await.unwrap();

        let (status, channel): (String, String) =
            sqlx::query_as("SELECT status, channel FROM reports WHERE reference = $1")
                .bind(&receipt.reference)
                .fetch_one(&db)
                .await
                .unwrap();
        assert_eq!((status.as_str(), channel.as_str()), ("new", "sms"));
        let hosts: Vec<&str> = receipt.hosts.iter().map(|h| h.host.as_str()).collect();
        assert_eq!(hosts, ["kkpp.kgi357.com", "89.106.207.153"]);
        assert_eq!(waiting(&db).await.unwrap(), 1);
        assert_eq!(report.links()[0].domain, "kgi357.com");
    }

    #[tokio::test]
    async fn reports_are_counted_per_host_and_per_domain() {
        let (_dir, db) = fresh_db().await.expect("test database");
        for text in ["https://kkpp.kgi357.com/a", "kkpp.kgi357.com 又來了", "a006.kgi357.com/x"] {
            submit(&db, &NewReport::parse(text, "line", "").unwrap()).await.unwrap();
        }
        let third =
            submit(&db, &NewReport::parse("https://kkpp.kgi357.com/b", "other", "").unwrap()).await.unwrap();

        assert_eq!(third.hosts, [HostCount { host: "kkpp.kgi357.com".into(), reports: 3 }]);
        assert_eq!(count_for_host(&db, "KKPP.kgi357.com").await.unwrap(), 3);
        assert_eq!(counts_by_domain(&db, 10).await.unwrap(), [("kgi357.com".to_owned(), 4)]);
    }

    #[tokio::test]
    async fn every_report_gets_its_own_reference_that_finds_it_again() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let report = NewReport::parse("https://kgi888.cc/login", "website", "").unwrap();
        let mut references = HashSet::new();
        for _ in 0..50 {
            let receipt = submit(&db, &report).await.unwrap();
            assert_eq!(receipt.reference.len(), 9, "{}", receipt.reference);
            references.insert(receipt.reference);
        }
        assert_eq!(references.len(), 50);
        let any = references.iter().next().unwrap();
        let found = receipt(&db, &any.to_lowercase()).await.unwrap().unwrap();
        assert_eq!(found.hosts, [HostCount { host: "kgi888.cc".into(), reports: 50 }]);
        assert_eq!(receipt(&db, "0000-0000").await.unwrap(), None);
    }

    #[tokio::test]
    async fn an_oversized_report_is_refused_and_nothing_is_written() {
        let (_dir, db) = fresh_db().await.expect("test database");
        let long = "x".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(
            NewReport::parse(&long, "sms", ""),
            Err(ReportError::TooLong { bytes: MAX_TEXT_BYTES + 1 })
        );
        let long_note = "說".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(
            NewReport::parse("kgi357.com", "sms", &long_note),
            Err(ReportError::NoteTooLong { chars: MAX_NOTE_CHARS + 1 })
        );
        // The database refuses it too, should a caller skip the validation.
        let unchecked = NewReport {
            text: long,
            channel: Channel::Sms,
            note: String::new(),
            links: vec![ReportedLink { host: "kgi357.com".into(), domain: "kgi357.com".into() }],
            contacts: Vec::new(),
        };
        assert!(submit(&db, &unchecked).await.is_err());
        assert_eq!(stored_reports(&db).await, 0);
        let (links,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM report_links").fetch_one(&db).await.unwrap();
        assert_eq!(links, 0);
    }

    #[test]
    fn an_empty_report_or_an_unknown_channel_is_named() {
        assert_eq!(NewReport::parse(" \n ", "sms", ""), Err(ReportError::Empty));
        assert_eq!(NewReport::parse("kgi357.com", "fax", ""), Err(ReportError::UnknownChannel("fax".into())));
        assert!(NewReport::parse("only words, no link", "phone", "他說是營業員").is_ok());
    }

    #[test]
    fn references_are_eight_unambiguous_characters() {
        assert_eq!(reference_from(&[0, 0, 0, 0, 0]), "0000-0000");
        assert_eq!(reference_from(&[0xff; 5]), "ZZZZ-ZZZZ");
        assert!(!reference_from(&[0x5a, 0x3c, 0x99, 0x01, 0xee]).contains(['I', 'L', 'O', 'U']));
    }
}
