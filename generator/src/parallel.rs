//! Independent pieces of work spread over the machine's cores: the
//! formatting of files and the reading of a cut document's parts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// How many cores the machine has (1 if it cannot be told).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many threads share out work on `bytes` of text: one below 256 KiB,
/// where starting others costs more than it saves; else one per core.
pub fn threads_for(bytes: usize) -> usize {
    if bytes < 256 * 1024 {
        1
    } else {
        cores()
    }
}

/// `work` applied to every item on `threads` threads (at most one per item),
/// the results in the items' order. The largest items (by `size`) are handed
/// out first, one at a time, so that the threads finish together even when
/// one item dwarfs the others. Every item is worked on, so the results do
/// not depend on timing.
pub fn map<T, R>(
    items: Vec<T>,
    threads: usize,
    size: impl Fn(&T) -> usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R>
where
    T: Send,
    R: Send,
{
    if threads <= 1 || items.len() <= 1 {
        return items.into_iter().map(work).collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|i| std::cmp::Reverse(size(&items[*i])));
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut out = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let item = slots[i]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("each item is handed out once");
            out.push((i, work(item)));
        }
        out
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(slots.len()))
            .map(|_| scope.spawn(worker))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_items_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).map(|i| (i * 7919) % 101).collect();
        let expected: Vec<u64> = items.iter().map(|i| i * i).collect();
        for threads in [1, 2, 5] {
            let got = super::map(items.clone(), threads, |i| *i as usize, |i| i * i);
            assert_eq!(got, expected, "{threads} threads");
        }
    }
}
