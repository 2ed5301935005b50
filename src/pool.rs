//! Work over many files on rayon's thread pool, its results consumed in file order on the calling thread, with a
//! bounded window of results waiting: what lets `check` stream thousands of files in flat memory.

/// Run `work` over `files` on rayon's thread pool and hand each result, in file order, to `consume` (with the file's
/// index) on this thread. Each pool thread takes the next file as soon as it is free; at most a window of results
/// waits to be consumed, so memory does not grow with the number of files. An error from `consume` stops the run.
pub fn in_order<I: Sync, T: Send, E>(
    files: &[I],
    work: impl Fn(&I) -> T + Sync,
    mut consume: impl FnMut(usize, &T) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{PoisonError, mpsc};
    // A pool thread hands its results over a few at a time: waking this thread for every file keeps the pool
    // threads in futex calls (bench/NOTES.md).
    const BATCH: usize = 8;
    let threads = rayon::current_num_threads();
    let window = threads * 32;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results were consumed, for the window, and how many pool threads wait for it to move.
    let consumed = (std::sync::Mutex::new((0usize, 0usize)), std::sync::Condvar::new());
    let (results, received) = mpsc::channel::<Vec<(usize, usize, T)>>();
    // Consumed results go back to the thread that made them to be freed there: the allocator frees another
    // thread's memory under a lock its owner also takes, and the checking threads would wait on it.
    let (returns, returned): (Vec<mpsc::Sender<T>>, Vec<mpsc::Receiver<T>>) =
        (0..threads).map(|_| mpsc::channel()).unzip();
    std::thread::scope(|scope| {
        let received = received; // owned here: an early return drops it, and the threads stop sending
        let (next, stop, consumed, work) = (&next, &stop, &consumed, &work);
        scope.spawn(move || {
            rayon::scope(|pool| {
                for (thread, returned) in returned.into_iter().enumerate() {
                    let results = results.clone();
                    pool.spawn(move |_| {
                        let mut batch = Vec::with_capacity(BATCH);
                        let hand_over =
                            |batch: &mut Vec<_>| batch.is_empty() || results.send(std::mem::take(batch)).is_ok();
                        loop {
                            while let Ok(freed) = returned.try_recv() {
                                drop(freed);
                            }
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            if index >= files.len() || stop.load(Ordering::Relaxed) {
                                break;
                            }
                            let (lock, turn) = consumed;
                            if index >= lock.lock().unwrap_or_else(PoisonError::into_inner).0 + window {
                                // Ahead of the window: first hand over what this thread holds, which the consuming
                                // thread may be waiting for.
                                if !hand_over(&mut batch) {
                                    break;
                                }
                                let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
                                while index >= state.0 + window && !stop.load(Ordering::Relaxed) {
                                    state.1 += 1;
                                    state = turn.wait(state).unwrap_or_else(PoisonError::into_inner);
                                    state.1 -= 1;
                                }
                            }
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            batch.push((index, thread, work(&files[index])));
                            if batch.len() >= BATCH && !hand_over(&mut batch) {
                                break;
                            }
                        }
                        hand_over(&mut batch);
                    });
                }
                drop(results);
            });
        });
        let mut waiting = std::collections::BTreeMap::new();
        let mut expected = 0;
        let mut outcome = Ok(());
        for batch in received.iter() {
            waiting.extend(batch.into_iter().map(|(index, thread, result)| (index, (thread, result))));
            while let Some((thread, result)) = waiting.remove(&expected) {
                outcome = consume(expected, &result);
                let _ = returns[thread].send(result);
                expected += 1;
                if outcome.is_err() {
                    break;
                }
            }
            let (lock, turn) = consumed;
            let mut state = lock.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 = expected;
            // Under the lock: a pool thread checks `stop` under it before it waits, so it cannot miss the wake-up.
            if outcome.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            let sleepers = state.1;
            drop(state);
            if sleepers > 0 || outcome.is_err() {
                turn.notify_all();
            }
            if outcome.is_err() {
                break;
            }
        }
        outcome
    })
}
