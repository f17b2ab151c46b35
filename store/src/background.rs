//! Threads that do big work beside the checks (reading and building a new index, freeing the
//! old one) give way to them: measured in docs/benchmarks.md ("the checks while a server
//! reloads").

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
}
