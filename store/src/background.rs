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
            // SAFETY: getpriority and setpriority take plain integers and touch no memory of
            // ours; on Linux, PRIO_PROCESS with a thread id names that one thread.
            let now = unsafe { libc::getpriority(libc::PRIO_PROCESS, tid) };
            if now < nice && unsafe { libc::setpriority(libc::PRIO_PROCESS, tid, nice) } != 0 {
                all = false;
            }
        }
        all
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
}
