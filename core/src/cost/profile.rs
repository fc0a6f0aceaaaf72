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
//! | `response_kb` — a list response's size | 20 | 100 | 450 | the seed's example list is 450 KB |
//! | `compression_ratio` — share of bytes gzip removes from JSON | 0.79 | 0.79 | 0.79 | gzip-6 leaves ≈17–22 % of JSON API lists (REFERENCES.md); the seed: 450 KB → 95 KB |
//! | `bandwidth_mbps` — the client's bandwidth | 50 | 20 | 20 | the seed's 20 Mbps connection |
//! | `hit_rate` — share of reads a cache answers | 0.8 | 0.8 | 0.8 | the seed reports 82 % after 24 hours |
//! | `connect_ms` — opening a database connection | 25 | 25 | 50 | node-postgres docs: a handshake of ≈20–30 ms; TLS and load add round trips; the seed uses 50 ms |
//! | `checkout_ms` — taking a connection from a pool | 0.5 | 0.5 | 0.5 | the seed: 0.5 ms |
//! | `stringify_us_per_kb` — `JSON.stringify` CPU time per KB of output | 5 | 5 | 5 | ≈200 MB/s, the middle of the ≈100–300 MB/s that V8's `JSON.stringify` writes for arrays of small objects; an order-of-magnitude default, not a measurement of the user's rows |
//! | `request_cpu_ms` — event-loop time of a request besides its operations (HTTP parsing, routing, middleware, a small response) | 0.2 | 0.2 | 0.2 | fastify/benchmarks (autocannon -c 100 -p 10 on 2 vCPUs) measures Express's hello-world at ≈7,500–10,300 requests/s, ≈0.1 ms each, and a route with middleware slower; `scripts/fidelity.sh` measures it on GET /health (docs/fidelity.md) |
//! | `query_cpu_ms` — event-loop time of one query in the driver (building, sending, parsing the reply, resolving the promise) | 0.1 | 0.1 | 0.1 | `scripts/fidelity.sh`: node-postgres spends ≈0.1 ms of Node CPU per trivial query (docs/fidelity.md); part of `query_ms`, which is measured from Node |
//! | `row_us` — event-loop time per row a query returns (driver parsing, object creation) | 5 | 5 | 5 | node-postgres parses ≈150,000–250,000 small rows/s per core (docs/fidelity.md: 500 rows ≈ 3.4 ms) |
//! | `db_cpu_ms` — the database server's CPU per query | 0.05 | 0.05 | 0.05 | pgbench's select-only run reaches ≈20,000–40,000 primary-key lookups/s per core (≈0.025–0.05 ms each); `scripts/fidelity.sh` measures its backend's CPU per trivial query |
//! | `db_cores` — cores the database's queries run on | 4 | 4 | 4 | a small database server; 1 when it shares a 2-core machine with the app (docs/fidelity.md) |
//! | `connect_cpu_ms` — the database's CPU to open a connection (a backend process forked, SCRAM authentication) | 3 | 3 | 3 | PostgreSQL forks a process per connection and SCRAM-SHA-256 runs 4,096 PBKDF2 iterations on each side; `scripts/fidelity.sh` measures the exited backends' CPU |
//!
//! Every parameter can be overridden (`--set name=value`, `backlens.toml`, the playground's
//! inputs); its source then says so.
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
    pub response_kb: Value,
    pub compression_ratio: Value,
    pub bandwidth_mbps: Value,
    pub hit_rate: Value,
    pub connect_ms: Value,
    pub checkout_ms: Value,
    pub stringify_us_per_kb: Value,
    pub request_cpu_ms: Value,
    pub query_cpu_ms: Value,
    pub row_us: Value,
    pub db_cpu_ms: Value,
    pub db_cores: Value,
    pub connect_cpu_ms: Value,
}

impl Profile {
    pub fn for_load(load: LoadProfile) -> Profile {
        let (items, query_ms, http_ms, cache_ms, rps) = match load {
            LoadProfile::Low => (10.0, 2.0, 20.0, 0.2, 5.0),
            LoadProfile::Medium => (50.0, 5.0, 50.0, 0.2, 50.0),
            LoadProfile::High => (200.0, 10.0, 100.0, 0.5, 500.0),
        };
        let (response_kb, bandwidth_mbps, connect_ms) = match load {
            LoadProfile::Low => (20.0, 50.0, 25.0),
            LoadProfile::Medium => (100.0, 20.0, 25.0),
            LoadProfile::High => (450.0, 20.0, 50.0),
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
            response_kb: v(response_kb),
            compression_ratio: v(0.79),
            bandwidth_mbps: v(bandwidth_mbps),
            hit_rate: v(0.8),
            connect_ms: v(connect_ms),
            checkout_ms: v(0.5),
            stringify_us_per_kb: v(5.0),
            request_cpu_ms: v(0.2),
            query_cpu_ms: v(0.1),
            row_us: v(5.0),
            db_cpu_ms: v(0.05),
            db_cores: v(4.0),
            connect_cpu_ms: v(3.0),
        }
    }

    /// The profile for `params`: the load profile's defaults, then the user's settings.
    pub fn for_params(params: &crate::params::Params) -> Profile {
        let mut profile = Profile::for_load(params.load_profile);
        for s in &params.settings {
            // Names were checked when the setting was made.
            let _ = profile.set(&s.name, s.value, &s.source);
        }
        profile
    }

    /// Overrides one parameter; the error lists the parameters that exist.
    pub fn set(&mut self, name: &str, value: f64, source: &str) -> Result<(), String> {
        let names = self.names();
        let slot = match name {
            "items" => &mut self.items,
            "query_ms" => &mut self.query_ms,
            "pool_size" => &mut self.pool_size,
            "http_ms" => &mut self.http_ms,
            "cache_ms" => &mut self.cache_ms,
            "op_ns" => &mut self.op_ns,
            "rps" => &mut self.rps,
            "response_kb" => &mut self.response_kb,
            "compression_ratio" => &mut self.compression_ratio,
            "bandwidth_mbps" => &mut self.bandwidth_mbps,
            "hit_rate" => &mut self.hit_rate,
            "connect_ms" => &mut self.connect_ms,
            "checkout_ms" => &mut self.checkout_ms,
            "stringify_us_per_kb" => &mut self.stringify_us_per_kb,
            "request_cpu_ms" => &mut self.request_cpu_ms,
            "query_cpu_ms" => &mut self.query_cpu_ms,
            "row_us" => &mut self.row_us,
            "db_cpu_ms" => &mut self.db_cpu_ms,
            "db_cores" => &mut self.db_cores,
            "connect_cpu_ms" => &mut self.connect_cpu_ms,
            _ => return Err(format!("unknown cost-model parameter `{name}`: expected one of {}", names.join(", "))),
        };
        if !value.is_finite() || value < 0.0 {
            return Err(format!("invalid value {value} for cost-model parameter `{name}`: expected a number ≥ 0"));
        }
        if matches!(name, "compression_ratio" | "hit_rate") && value > 1.0 {
            return Err(format!(
                "invalid value {value} for cost-model parameter `{name}`: expected a share from 0 to 1"
            ));
        }
        *slot = Value { value, source: source.to_string() };
        Ok(())
    }

    /// What a parameter means, in a few words (for forms and help); "" for an unknown name.
    pub fn description(name: &str) -> &'static str {
        match name {
            "items" => "list size N per request",
            "query_ms" => "one database round trip",
            "pool_size" => "database connections in the pool",
            "http_ms" => "one outbound HTTP call",
            "cache_ms" => "one cache round trip",
            "op_ns" => "one in-memory operation",
            "rps" => "requests per second per endpoint",
            "response_kb" => "size of a list response",
            "compression_ratio" => "share of bytes gzip removes",
            "bandwidth_mbps" => "the client's bandwidth",
            "hit_rate" => "share of reads the cache answers",
            "connect_ms" => "opening a database connection",
            "checkout_ms" => "taking a connection from a pool",
            "stringify_us_per_kb" => "JSON.stringify CPU time per KB",
            "request_cpu_ms" => "event-loop time per request besides its operations",
            "query_cpu_ms" => "event-loop time per query in the driver",
            "row_us" => "event-loop time per row returned",
            "db_cpu_ms" => "the database's CPU per query",
            "db_cores" => "cores the database runs queries on",
            "connect_cpu_ms" => "the database's CPU to open a connection",
            _ => "",
        }
    }

    /// The names of every parameter.
    pub fn names(&self) -> Vec<&'static str> {
        self.parameters().iter().map(|(n, _, _)| *n).collect()
    }

    /// Every parameter with its name and unit, for the report.
    pub fn parameters(&self) -> [(&'static str, &Value, &'static str); 20] {
        [
            ("items", &self.items, "rows"),
            ("query_ms", &self.query_ms, "ms"),
            ("pool_size", &self.pool_size, "connections"),
            ("http_ms", &self.http_ms, "ms"),
            ("cache_ms", &self.cache_ms, "ms"),
            ("op_ns", &self.op_ns, "ns"),
            ("rps", &self.rps, "requests/s"),
            ("response_kb", &self.response_kb, "KB"),
            ("compression_ratio", &self.compression_ratio, "share"),
            ("bandwidth_mbps", &self.bandwidth_mbps, "Mbit/s"),
            ("hit_rate", &self.hit_rate, "share"),
            ("connect_ms", &self.connect_ms, "ms"),
            ("checkout_ms", &self.checkout_ms, "ms"),
            ("stringify_us_per_kb", &self.stringify_us_per_kb, "µs/KB"),
            ("request_cpu_ms", &self.request_cpu_ms, "ms"),
            ("query_cpu_ms", &self.query_cpu_ms, "ms"),
            ("row_us", &self.row_us, "µs"),
            ("db_cpu_ms", &self.db_cpu_ms, "ms"),
            ("db_cores", &self.db_cores, "cores"),
            ("connect_cpu_ms", &self.connect_cpu_ms, "ms"),
        ]
    }
}
