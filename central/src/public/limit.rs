//! How often one address may ask the public status page: a fixed window
//! per address, in a map of bounded size.
//!
//! Invariants: the map never holds more than `capacity` addresses; when it
//! is full, expired windows are dropped first, then the oldest window, so
//! a flood of addresses costs a fixed amount of memory and can at worst
//! give an old address a fresh window early.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimit {
    per_window: u32,
    window: Duration,
    capacity: usize,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimit {
    /// `per_window` requests per `window` per address, `capacity`
    /// addresses remembered at most.
    pub fn new(per_window: u32, window: Duration, capacity: usize) -> RateLimit {
        RateLimit {
            per_window,
            window,
            capacity: capacity.max(1),
            seen: Mutex::new(HashMap::with_capacity(capacity.max(1))),
        }
    }

    /// Whether `addr` may ask now; counts the request.
    pub fn allow(&self, addr: IpAddr, now: Instant) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return false;
        };
        if !seen.contains_key(&addr) && seen.len() >= self.capacity {
            let window = self.window;
            seen.retain(|_, (start, _)| now.saturating_duration_since(*start) < window);
            if seen.len() >= self.capacity {
                let oldest = seen
                    .iter()
                    .min_by_key(|(_, (start, _))| *start)
                    .map(|(a, _)| *a);
                if let Some(oldest) = oldest {
                    seen.remove(&oldest);
                }
            }
        }
        let entry = seen.entry(addr).or_insert((now, 0));
        if now.saturating_duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.per_window
    }

    pub fn remembered(&self) -> usize {
        self.seen.lock().map(|s| s.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u32) -> IpAddr {
        IpAddr::from(n.to_be_bytes())
    }

    #[test]
    fn the_eleventh_request_in_a_window_is_refused_and_the_next_window_opens() {
        let l = RateLimit::new(10, Duration::from_secs(60), 100);
        let t = Instant::now();
        for _ in 0..10 {
            assert!(l.allow(ip(1), t));
        }
        assert!(!l.allow(ip(1), t));
        assert!(l.allow(ip(2), t), "another address has its own count");
        assert!(l.allow(ip(1), t + Duration::from_secs(61)));
    }

    #[test]
    fn a_flood_of_addresses_stays_within_the_map_size() {
        let l = RateLimit::new(10, Duration::from_secs(60), 64);
        let t = Instant::now();
        for n in 0..10_000 {
            assert!(l.allow(ip(n), t));
        }
        assert_eq!(l.remembered(), 64);
    }
}
