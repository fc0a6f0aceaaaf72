//! Cost-model defaults per load profile.
//!
//! | parameter | low | medium | high | why |
//! |---|---|---|---|---|
//! | `items` — list size N per request | 10 | 50 | 200 | the seed's feed returns 50 posts; "high" is a page of a few hundred rows |
//! | `query_ms` — one database round trip incl. execution | 2 | 5 | 10 | ≈0.5 ms same-datacenter round trip (the "latency numbers" table) plus execution; a loaded database answers slower |
//! | `pool_size` — database connections | 10 | 10 | 10 | node-postgres `Pool` default `max` |
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
}

impl Profile {
    pub fn for_load(load: LoadProfile) -> Profile {
        let (items, query_ms) = match load {
            LoadProfile::Low => (10.0, 2.0),
            LoadProfile::Medium => (50.0, 5.0),
            LoadProfile::High => (200.0, 10.0),
        };
        let source = format!("load_profile:{}", load.as_str());
        let v = |value: f64| Value { value, source: source.clone() };
        Profile { items: v(items), query_ms: v(query_ms), pool_size: v(10.0) }
    }
}
