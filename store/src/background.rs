//! Threads that do big work beside the checks (reading and building a new index, freeing the
//! old one, a command's import) give way to them: measured in docs/benchmarks.md ("the checks
//! while a server reloads").

/// The slice asked for, in nanoseconds: the least Linux grants (0.1 ms). A thread that has
/// the core gives it up at most this long after a check's thread wakes.
#[cfg(target_os = "linux")]
const SLICE_NS: u64 = 100_000;

/// How the calling thread now yields to the others of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yielding {
    /// `SCHED_IDLE` with a 0.1 ms slice: any ordinary thread that wakes takes the core at once.
    IdleShortSlice,
    /// `SCHED_IDLE` with the kernel's usual slice (a kernel before 6.12 sets no slice).
    Idle,
    /// Nice 19, where the kernel refuses `SCHED_IDLE`.
    Nice,
    /// As before: the thread could not be lowered (or this is not Linux).
    Unchanged,
}

/// Lowers the calling thread's scheduling priority as far as the kernel allows; the threads it
/// starts afterwards (such as a SQLite connection's worker) inherit it. Under `SCHED_IDLE` a
/// thread runs on what the ordinary threads leave: on a server saturated with checks a reload
/// waits, and the answers say how old the data is meanwhile ([`crate::live::Freshness`]).
pub fn yield_to_checks() -> Yielding {
    #[cfg(target_os = "linux")]
    {
        linux::lower()
    }
    #[cfg(not(target_os = "linux"))]
    {
        Yielding::Unchanged
    }
}

/// The niceness a command takes when it gives way ([`command_gives_way`]).
pub const COMMAND_NICE: i32 = 10;

/// Lowers every thread of this process to nice [`COMMAND_NICE`] (a thread already nicer keeps
/// its own), and so the threads they start: a command that writes a big import on the host
/// where the server answers checks (on SQLite it must be that host) leaves the cores to them.
/// Nice rather than `SCHED_IDLE`: a command on a busy host still moves on. Answers whether
/// every thread was lowered.
pub fn command_gives_way() -> bool {
    #[cfg(target_os = "linux")]
    {
        linux::lower_process(COMMAND_NICE)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Runs `work` on a thread of its own at nice [`COMMAND_NICE`] with a pool of its own on
/// `db`'s database, whose connections (and on SQLite their worker threads) that thread makes,
/// so they run at its priority: an import applied from the console, whose reading, planning
/// and writing keep a core busy for seconds per million rows, leaves the cores to the checks
/// this instance answers, as `server takedown import` does ([`command_gives_way`]). `work`
/// gets `db` itself when no pool of its own can be made, and runs here, on the caller's task,
/// when no thread can be started. Fails only when `work` panicked.
pub async fn beside_checks<T, F, Fut>(db: &crate::Db, work: F) -> Result<T, crate::StoreError>
where
    T: Send + 'static,
    F: FnOnce(crate::Db) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T> + 'static,
{
    use std::sync::{Arc, Mutex};
    // Through a slot, so that work no thread took is still here to be done.
    let slot = Arc::new(Mutex::new(Some(work)));
    let take = |slot: &Mutex<Option<F>>| slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let (handed, main) = (Arc::clone(&slot), db.clone());
    let started = std::thread::Builder::new().name("beside-checks".into()).spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            return; // the work stays in the slot
        };
        let Some(work) = take(&handed) else { return };
        if !lower_this_thread(COMMAND_NICE) {
            tracing::debug!("work beside the checks runs at the server's own priority");
        }
        let done = runtime.block_on(async move {
            let own = crate::db::pool_beside(&main).await;
            let done = work(own.clone().unwrap_or(main)).await;
            if let Some(own) = own {
                own.close().await;
            }
            done
        });
        let _ = sender.send(done);
    });
    if started.is_ok() {
        if let Ok(done) = receiver.await {
            return Ok(done);
        }
    }
    match take(&slot) {
        Some(work) => Ok(work(db.clone()).await),
        None => Err(crate::StoreError::Refused("the work beside the checks stopped unexpectedly".into())),
    }
}

/// Sets the calling thread to at least nice `nice` (the threads it starts afterwards inherit
/// it); answers whether it is now that nice or nicer.
fn lower_this_thread(nice: i32) -> bool {
    #[cfg(target_os = "linux")]
    {
        linux::lower_thread(0, nice)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = nice;
        false
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::{Yielding, SLICE_NS};

    /// `struct sched_attr` of `sched_setattr(2)` (its first version, 56 bytes).
    #[repr(C)]
    struct SchedAttr {
        size: u32,
        policy: u32,
        flags: u64,
        nice: i32,
        priority: u32,
        runtime: u64,
        deadline: u64,
        period: u64,
        util_min: u32,
        util_max: u32,
    }

    fn set_attr(runtime: u64) -> bool {
        let attr = SchedAttr {
            size: std::mem::size_of::<SchedAttr>() as u32,
            policy: libc::SCHED_IDLE as u32,
            flags: 0,
            nice: 0,
            priority: 0,
            runtime,
            deadline: 0,
            period: 0,
            util_min: 0,
            util_max: 0,
        };
        // SAFETY: sched_setattr reads `attr` (alive and of the size it states) and changes only
        // the scheduling of thread 0, the caller; it writes no memory of ours.
        unsafe { libc::syscall(libc::SYS_sched_setattr, 0, &attr as *const SchedAttr, 0) == 0 }
    }

    /// Sets every thread of this process to at least nice `nice`.
    pub(super) fn lower_process(nice: i32) -> bool {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return false };
        let mut all = true;
        for task in tasks.flatten() {
            let Some(tid) = task.file_name().to_str().and_then(|t| t.parse::<libc::id_t>().ok()) else {
                continue;
            };
            all &= lower_thread(tid, nice);
        }
        all
    }

    /// Sets thread `tid` (0: the caller) to at least nice `nice`.
    pub(super) fn lower_thread(tid: libc::id_t, nice: i32) -> bool {
        // SAFETY: getpriority and setpriority take plain integers and touch no memory of
        // ours; on Linux, PRIO_PROCESS with a thread id names that one thread (0 the caller).
        let now = unsafe { libc::getpriority(libc::PRIO_PROCESS, tid) };
        now >= nice || unsafe { libc::setpriority(libc::PRIO_PROCESS, tid, nice) } == 0
    }

    pub(super) fn lower() -> Yielding {
        if set_attr(SLICE_NS) {
            return Yielding::IdleShortSlice;
        }
        if set_attr(0) {
            return Yielding::Idle;
        }
        // SAFETY: setpriority takes plain integers and touches no memory of ours; on Linux,
        // PRIO_PROCESS with `who` 0 names the calling thread.
        if unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) } == 0 {
            return Yielding::Nice;
        }
        Yielding::Unchanged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    fn policy_of_this_thread() -> libc::c_int {
        // SAFETY: sched_getscheduler takes a thread id (0: the caller) and touches no memory.
        unsafe { libc::sched_getscheduler(0) }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_lowered_thread_and_the_threads_it_starts_run_only_on_what_the_others_leave() {
        let (lowered, own, started) = std::thread::spawn(|| {
            let lowered = yield_to_checks();
            let own = policy_of_this_thread();
            let started = std::thread::spawn(policy_of_this_thread).join().unwrap();
            (lowered, own, started)
        })
        .join()
        .unwrap();
        assert!(matches!(lowered, Yielding::IdleShortSlice | Yielding::Idle), "{lowered:?}");
        assert_eq!(own, libc::SCHED_IDLE);
        assert_eq!(started, libc::SCHED_IDLE, "a thread it starts inherits the policy");
        assert_ne!(policy_of_this_thread(), libc::SCHED_IDLE, "the other threads keep theirs");
    }

    #[cfg(target_os = "linux")]
    fn nice_of_this_thread() -> i32 {
        // SAFETY: getpriority takes plain integers (0: the calling thread) and touches no memory.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_command_that_gives_way_lowers_every_thread_of_its_process_and_those_they_start() {
        use std::sync::mpsc::channel;
        let (ready, is_ready) = channel();
        let (go, goes) = channel::<()>();
        let earlier = std::thread::spawn(move || {
            ready.send(()).unwrap();
            goes.recv().unwrap();
            nice_of_this_thread()
        });
        let (ready_nicer, nicer_is_ready) = channel();
        let (go_nicer, nicer_goes) = channel::<()>();
        let nicer = std::thread::spawn(move || {
            // SAFETY: as in `nice_of_this_thread`; this thread only.
            unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 15) };
            ready_nicer.send(()).unwrap();
            nicer_goes.recv().unwrap();
            nice_of_this_thread()
        });
        is_ready.recv().unwrap();
        nicer_is_ready.recv().unwrap();

        assert!(command_gives_way());

        go.send(()).unwrap();
        go_nicer.send(()).unwrap();
        assert_eq!(nice_of_this_thread(), COMMAND_NICE);
        assert_eq!(earlier.join().unwrap(), COMMAND_NICE, "a thread started before");
        assert_eq!(
            std::thread::spawn(nice_of_this_thread).join().unwrap(),
            COMMAND_NICE,
            "one started after"
        );
        assert_eq!(nicer.join().unwrap(), 15, "a thread already nicer keeps its own");
    }

    /// How many of this process's SQLite worker threads run at nice [`COMMAND_NICE`] or nicer.
    #[cfg(target_os = "linux")]
    fn lowered_sqlite_workers() -> usize {
        let tasks = std::fs::read_dir("/proc/self/task").unwrap();
        tasks
            .flatten()
            .filter(|task| {
                let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
                let tid: libc::id_t = task.file_name().to_str().unwrap().parse().unwrap();
                // SAFETY: as in `nice_of_this_thread`, for thread `tid`.
                name.starts_with("sqlx-sqlite")
                    && unsafe { libc::getpriority(libc::PRIO_PROCESS, tid) } >= COMMAND_NICE
            })
            .count()
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn work_beside_the_checks_runs_at_a_commands_niceness_on_connections_of_its_own_to_the_same_data() {
        let (_dir, db) = crate::testing::demo_db().await.expect("test database");
        let sqlite = crate::Backend::of(&db) == crate::Backend::Sqlite;
        let count = "SELECT count(*) FROM takedown_entries";
        let (stored,): (i64,) = sqlx::query_as(count).fetch_one(&db).await.unwrap();
        assert_eq!(lowered_sqlite_workers(), 0);

        let (nice, workers, read, own_pool) = beside_checks(&db, move |own| async move {
            let (read,): (i64,) = sqlx::query_as(count).fetch_one(&own).await.unwrap();
            (nice_of_this_thread(), lowered_sqlite_workers(), read, own.size())
        })
        .await
        .unwrap();

        assert_eq!(nice, COMMAND_NICE, "the work's thread gives way");
        assert_eq!(read, stored, "it reads the same database");
        assert!(own_pool <= 2, "through a pool of its own, not the server's ({own_pool} connections)");
        if sqlite {
            assert!(workers >= 1, "its connection's SQLite worker gives way too");
        }
        assert_ne!(nice_of_this_thread(), COMMAND_NICE, "the caller's thread keeps its own");
        // A closed connection's worker thread ends a moment after the close.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while lowered_sqlite_workers() > 0 && std::time::Instant::now() < until {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(lowered_sqlite_workers(), 0, "its connections are closed after it");
    }

    #[tokio::test]
    async fn work_beside_the_checks_that_panics_is_refused_and_the_database_still_answers() {
        let (_dir, db) = crate::testing::demo_db().await.expect("test database");
        let done: Result<(), _> = beside_checks(&db, |_| async { panic!("a bug in the work") }).await;
        assert!(matches!(done, Err(crate::StoreError::Refused(_))), "{done:?}");
        let (one,): (i64,) = sqlx::query_as("SELECT 1").fetch_one(&db).await.unwrap();
        assert_eq!(one, 1);
    }

    #[tokio::test]
    async fn an_in_memory_database_gets_no_pool_of_its_own_which_would_be_another_empty_one() {
        sqlx::any::install_default_drivers();
        let db =
            sqlx::any::AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap();
        assert!(crate::db::pool_beside(&db).await.is_none());
    }
}
