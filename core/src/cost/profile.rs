//! Cost-model defaults per load profile.
//!
//! | parameter | low | medium | high | why |
//! |---|---|---|---|---|
//! | `items` — list size N per request | 10 | 50 | 200 | the seed's feed returns 50 posts; "high" is a page of a few hundred rows |
//! | `query_ms` — one database round trip incl. execution | 2 | 5 | 10 | ≈0.5 ms same-datacenter round trip (the "latency numbers" table) plus execution; a loaded database answers slower |
//! | `pool_size` — database connections | 10 | 10 | 10 | node-postgres `Pool` default `max` |
//! | `http_ms` — one outbound HTTP call | 20 | 50 | 100 | an internal service in the same region; slower under load |
//! | `cache_ms` — one cache (Redis) round trip | 0.2 | 0.2 | 0.5 | redis.io latency docs: ≈0.2 ms over a 1 Gbit/s network |
//! | `op_ns` — one in-memory operation (compare, hash, copy of one element) | 10 | 10 | 10 | a V8 comparison or property read is a few ns; 10 ns is conservative |
//! | `rps` — requests per second per endpoint | 5 | 50 | 500 | the profile's arrival rate |
//!
//! Sources are quoted in `../shared/spec/REFERENCES.md` ("Cost-model defaults").

use crate::params::LoadProfile;

/// A parameter's value and where it came from ("load_profile:medium", "user").
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub value: f64,
    pub source: String,
}

/// The parameters every model draws from.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub items: Value,
    pub query_ms: Value,
    pub pool_size: Value,
    pub http_ms: Value,
    pub cache_ms: Value,
    pub op_ns: Value,
    pub rps: Value,
}

impl Profile {
    pub fn for_load(load: LoadProfile) -> Profile {
        let (items, query_ms, http_ms, cache_ms, rps) = match load {
            LoadProfile::Low => (10.0, 2.0, 20.0, 0.2, 5.0),
            LoadProfile::Medium => (50.0, 5.0, 50.0, 0.2, 50.0),
            LoadProfile::High => (200.0, 10.0, 100.0, 0.5, 500.0),
        };
        let source = format!("load_profile:{}", load.as_str());
        let v = |value: f64| Value { value, source: source.clone() };
        Profile {
            items: v(items),
            query_ms: v(query_ms),
            pool_size: v(10.0),
            http_ms: v(http_ms),
            cache_ms: v(cache_ms),
            op_ns: v(10.0),
            rps: v(rps),
        }
    }

    /// Every parameter with its name and unit, for the report.
    pub fn parameters(&self) -> [(&'static str, &Value, &'static str); 7] {
        [
            ("items", &self.items, "rows"),
            ("query_ms", &self.query_ms, "ms"),
            ("pool_size", &self.pool_size, "connections"),
            ("http_ms", &self.http_ms, "ms"),
            ("cache_ms", &self.cache_ms, "ms"),
            ("op_ns", &self.op_ns, "ns"),
            ("rps", &self.rps, "requests/s"),
        ]
    }
}
