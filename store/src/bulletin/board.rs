//! What every public page shows of the bulletins without asking for it: the open incidents
//! (a banner) and the newest bulletins (the home page). Read from the database for each page,
//! so a bulletin published or an incident updated on one instance shows on the next page of
//! every instance; when the database does not answer in time, the last board read stands in,
//! so the pages keep working (and the check never waits on it).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::incident::{self, OpenIncident};
use super::{latest, Bulletin, Language};
use crate::{Db, StoreError};

/// How many bulletins the home page lists.
pub const LATEST: i64 = 5;
/// How long a page waits for the board before it shows the last one read.
pub const WAIT: Duration = Duration::from_millis(300);

/// The board at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoardView {
    /// The newest bulletins for readers of Chinese, then of English.
    pub latest_chinese: Vec<Bulletin>,
    pub latest_english: Vec<Bulletin>,
    /// Every open incident, both languages; [`incidents_for`] picks a reader's.
    pub incidents: Vec<OpenIncident>,
}

impl BoardView {
    /// The newest bulletins for readers of `language`.
    pub fn latest(&self, language: Language) -> &[Bulletin] {
        match language {
            Language::Chinese => &self.latest_chinese,
            Language::English => &self.latest_english,
        }
    }
}

/// The open incidents a reader of `language` sees: those in their language, and those in the
/// other language that have no open translation into it.
pub fn incidents_for(incidents: &[OpenIncident], language: Language) -> Vec<&OpenIncident> {
    let mine: Vec<&OpenIncident> = incidents.iter().filter(|i| i.language == language).collect();
    let translated = |other: &OpenIncident| {
        mine.iter().any(|m| m.translation_of == Some(other.id) || other.translation_of == Some(m.id))
    };
    let untranslated = incidents.iter().filter(|i| i.language != language && !translated(i));
    mine.iter().copied().chain(untranslated).collect()
}

/// Reads the board now.
pub async fn read(db: &Db) -> Result<BoardView, StoreError> {
    Ok(BoardView {
        latest_chinese: latest(db, Language::Chinese, LATEST).await?,
        latest_english: latest(db, Language::English, LATEST).await?,
        incidents: incident::open(db).await?,
    })
}

/// The board, read afresh for each page, with the last good one kept for when the database
/// is slow or away.
#[derive(Debug, Default)]
pub struct Board {
    last: RwLock<Option<Arc<BoardView>>>,
}

impl Board {
    /// The board now, or the last one read when the database does not answer within
    /// [`WAIT`]; `None` when no board could ever be read.
    pub async fn current(&self, db: &Db) -> Option<Arc<BoardView>> {
        match tokio::time::timeout(WAIT, read(db)).await {
            Ok(Ok(view)) => {
                let view = Arc::new(view);
                if let Ok(mut last) = self.last.write() {
                    *last = Some(view.clone());
                }
                Some(view)
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "reading the bulletin board failed: pages show the last one read");
                self.last()
            }
            Err(_) => {
                tracing::warn!("the bulletin board took too long: pages show the last one read");
                self.last()
            }
        }
    }

    fn last(&self) -> Option<Arc<BoardView>> {
        self.last.read().ok().and_then(|last| last.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulletin::IncidentState;

    fn open(id: i64, language: Language, translation_of: Option<i64>) -> OpenIncident {
        OpenIncident {
            id,
            slug: format!("i{id}"),
            language,
            translation_of,
            title: "t".into(),
            state: IncidentState::Investigating,
            latest_at: None,
            latest: None,
        }
    }

    #[test]
    fn a_reader_sees_each_open_incident_once_in_their_language_where_there_is_one() {
        let incidents = [
            open(1, Language::Chinese, None),
            open(2, Language::English, Some(1)),
            open(3, Language::Chinese, None),
        ];
        let ids = |language| incidents_for(&incidents, language).iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids(Language::Chinese), [1, 3]);
        assert_eq!(ids(Language::English), [2, 3], "the untranslated one, as it is");
    }

    #[tokio::test]
    async fn the_last_board_stands_in_when_the_database_is_away() {
        let (_dir, db) = crate::testing::demo_db().await.unwrap();
        let board = Board::default();
        let first = board.current(&db).await.expect("read");
        assert_eq!(first.latest(Language::Chinese).len(), LATEST as usize);

        db.close().await;

        assert_eq!(board.current(&db).await, Some(first), "the last one read");
    }
}
