//! The seed's parameters: `target`, `endpoints`, `load_profile`, `priority`.
//!
//! They arrive either as the seed's own argument string
//! (`target:"api" endpoints:"/api/users,GET /api/posts" load_profile:"high" priority:"medium"`)
//! or one by one (CLI flags, form controls) through [`Params::set`]. Every bad value is an
//! error that names the parameter and the values it allows.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Which rule categories run (the seed's `target`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Api,
    Algorithms,
    Caching,
    Concurrency,
    #[default]
    All,
}

impl Target {
    pub const NAMES: &'static [&'static str] = &["api", "algorithms", "caching", "concurrency", "all"];
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Api => "api",
            Target::Algorithms => "algorithms",
            Target::Caching => "caching",
            Target::Concurrency => "concurrency",
            Target::All => "all",
        }
    }
    /// Whether a rule of `category` runs under this target.
    pub fn includes(self, category: Category) -> bool {
        match self {
            Target::All => true,
            Target::Api => category == Category::Api,
            Target::Algorithms => category == Category::Algorithms,
            Target::Caching => category == Category::Caching,
            Target::Concurrency => category == Category::Concurrency,
        }
    }
}

/// A rule's category: one of the seed's targets other than `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Api,
    Algorithms,
    Caching,
    Concurrency,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Api => "api",
            Category::Algorithms => "algorithms",
            Category::Caching => "caching",
            Category::Concurrency => "concurrency",
        }
    }
}

/// Expected traffic and data sizes; picks the cost models' defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LoadProfile {
    Low,
    #[default]
    Medium,
    High,
}

impl LoadProfile {
    pub const NAMES: &'static [&'static str] = &["low", "medium", "high"];
    pub fn as_str(self) -> &'static str {
        match self {
            LoadProfile::Low => "low",
            LoadProfile::Medium => "medium",
            LoadProfile::High => "high",
        }
    }
}

/// How much a finding matters. Ordered: `Low < Medium < High < Critical`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const NAMES: &'static [&'static str] = &["low", "medium", "high", "critical"];
    pub const ALL: [Severity; 4] = [Severity::Low, Severity::Medium, Severity::High, Severity::Critical];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(value: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `endpoints`: an optional method and an Express-style path pattern
/// (`/api/users/:id`, `*` matches the rest), or a named operation: a GraphQL operation
/// (`QUERY posts`, `MUTATION createPost`, `SUBSCRIPTION *` for every operation of that kind),
/// a socket.io event (`EVENT chat:message`, `EVENT /admin chat:message` in a namespace) or a
/// Next.js server action (`ACTION createPost`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndpointPattern {
    pub method: Option<String>,
    pub path: String,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ALL"];
/// Named operations: the "method" of an endpoint whose "path" is a name (GraphQL operations,
/// socket.io events, server actions).
const OPERATIONS: &[&str] = crate::model::NAMED_OPERATIONS;

impl EndpointPattern {
    pub fn parse(text: &str) -> Result<EndpointPattern, ParamError> {
        let text = text.trim();
        let (method, path) = match text.split_once(char::is_whitespace) {
            Some((m, p)) => (Some(m.to_ascii_uppercase()), p.trim()),
            None => (None, text),
        };
        if let Some(m) = &method {
            if OPERATIONS.contains(&m.as_str()) {
                // Event names are free text (`chat:message`, `user status`, `/admin chat`);
                // operation and action names are identifiers.
                let name_like =
                    path == "*" || m == "EVENT" || path.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$');
                if path.is_empty() || !name_like {
                    return Err(ParamError::new(
                        "endpoints",
                        text,
                        "a GraphQL operation name (or `*`) after QUERY, MUTATION or SUBSCRIPTION, e.g. \"QUERY posts\" \
                         (an event name after EVENT, a server action's name after ACTION)",
                    ));
                }
                return Ok(EndpointPattern { method, path: path.to_string() });
            }
            if !METHODS.contains(&m.as_str()) {
                return Err(ParamError::new(
                    "endpoints",
                    text,
                    "an optional HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) followed by a path starting with '/', \
                     a GraphQL operation (QUERY posts, MUTATION createPost), a socket.io event (EVENT chat:message) \
                     or a server action (ACTION createPost)",
                ));
            }
        }
        // The argument string quotes values with `"` or `'` (`to_args` with `"`): a pattern
        // with a quote could not be written back; one with a space inside its path would
        // come back different (`GET /a /` → `GET /a`). No route path has either.
        if path.contains(['"', '\'']) || path.contains(char::is_whitespace) {
            return Err(ParamError::new(
                "endpoints",
                text,
                "a path without quotes or spaces, e.g. \"/api/users/:id\"",
            ));
        }
        if !path.starts_with('/') {
            return Err(ParamError::new(
                "endpoints",
                text,
                "paths starting with '/', e.g. \"/api/users,GET /api/posts/:id\"",
            ));
        }
        Ok(EndpointPattern { method, path: normalize_path(path) })
    }

    /// Whether a route (`method`, `path` as registered, parameters as `:name`) matches.
    /// A parameter in either the pattern or the route matches any one segment.
    pub fn matches(&self, method: &str, route_path: &str) -> bool {
        // Named operations (GraphQL, socket.io events, server actions) match only patterns
        // of their kind, by name.
        let pattern_op = self.method.as_deref().is_some_and(|m| OPERATIONS.contains(&m));
        if pattern_op || OPERATIONS.iter().any(|o| o.eq_ignore_ascii_case(method)) {
            return pattern_op
                && self.method.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(method))
                && (self.path == "*" || self.path == route_path);
        }
        if let Some(m) = &self.method {
            if m != "ALL" && !m.eq_ignore_ascii_case(method) && !method.eq_ignore_ascii_case("ALL") {
                return false;
            }
        }
        let pattern: Vec<&str> = segments(&self.path);
        let route: Vec<&str> = segments(route_path);
        let mut i = 0;
        while i < pattern.len() {
            let p = pattern[i];
            if p == "*" {
                return true;
            }
            let Some(r) = route.get(i) else { return false };
            let is_param = |s: &str| s.starts_with(':') || (s.starts_with('{') && s.ends_with('}')) || s == "*";
            if *r == "*" {
                return true;
            }
            if !(is_param(p) || is_param(r) || p == *r) {
                return false;
            }
            i += 1;
        }
        i == route.len()
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// `/api/users/` → `/api/users`; `//a` → `/a`.
pub fn normalize_path(path: &str) -> String {
    let joined = segments(path).join("/");
    format!("/{joined}")
}

impl fmt::Display for EndpointPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.method {
            Some(m) => write!(f, "{m} {}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// A cost-model parameter set by the user (`--set query_ms=8`, `backlens.toml`, a form input).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Setting {
    pub name: String,
    pub value: f64,
    /// Where it was set: "user", "--set", "backlens.toml".
    pub source: String,
}

/// The seed's four parameters, with the seed's defaults, and the user's cost-model settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    pub target: Target,
    pub endpoints: Vec<EndpointPattern>,
    pub load_profile: LoadProfile,
    pub priority: Severity,
    /// Overrides of the load profile's cost-model defaults: at most one per name (see
    /// [`Params::set_cost`]), in the order they were first set.
    pub settings: Vec<Setting>,
    /// Rules turned on by name (`rules:"quadratic-lookup"`), whatever the target: this is how
    /// a rule that is off by default (`rules::off_by_default`) runs under `target:"all"`;
    /// `rules:"all"` turns every rule on.
    pub rules: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            target: Target::All,
            endpoints: Vec::new(),
            load_profile: LoadProfile::Medium,
            priority: Severity::High,
            settings: Vec::new(),
            rules: Vec::new(),
        }
    }
}

impl Params {
    /// The defaults with every rule on, also those off by default (`rules:"all"`).
    pub fn all_rules() -> Self {
        Params { rules: vec!["all".to_string()], ..Params::default() }
    }
}

/// A parameter error: which parameter, the value given, and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    pub parameter: String,
    pub value: String,
    pub allowed: String,
}

impl ParamError {
    fn new(parameter: &str, value: &str, allowed: &str) -> Self {
        ParamError { parameter: parameter.into(), value: value.into(), allowed: allowed.into() }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.parameter.is_empty() && self.allowed.is_empty() {
            f.write_str(&self.value)
        } else if self.parameter.is_empty() {
            write!(f, "{}: {}", self.value, self.allowed)
        } else {
            write!(f, "invalid value {:?} for parameter `{}`: expected {}", self.value, self.parameter, self.allowed)
        }
    }
}

impl std::error::Error for ParamError {}

fn one_of(parameter: &str, value: &str, names: &[&str]) -> Result<usize, ParamError> {
    names
        .iter()
        .position(|n| *n == value.trim().to_ascii_lowercase())
        .ok_or_else(|| ParamError::new(parameter, value, &format!("one of {}", names.join(", "))))
}

impl Params {
    pub const NAMES: &'static [&'static str] = &["target", "endpoints", "load_profile", "priority", "rules"];

    /// Sets one parameter by name. `load-profile` is accepted for `load_profile`.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), ParamError> {
        match name.trim().replace('-', "_").as_str() {
            "target" => {
                self.target = [Target::Api, Target::Algorithms, Target::Caching, Target::Concurrency, Target::All]
                    [one_of("target", value, Target::NAMES)?]
            }
            "endpoints" => {
                self.endpoints = value
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(EndpointPattern::parse)
                    .collect::<Result<_, _>>()?
            }
            "load_profile" => {
                self.load_profile = [LoadProfile::Low, LoadProfile::Medium, LoadProfile::High]
                    [one_of("load_profile", value, LoadProfile::NAMES)?]
            }
            "priority" => self.priority = Severity::ALL[one_of("priority", value, Severity::NAMES)?],
            "rules" => {
                let known: Vec<&str> = crate::rules::catalog().iter().map(|m| m.id).collect();
                let mut rules = Vec::new();
                for id in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    if !known.contains(&id) && id != "all" {
                        return Err(ParamError::new(
                            "rules",
                            id,
                            &format!("rule ids separated by commas (or `all`), each one of {}", known.join(", ")),
                        ));
                    }
                    if !rules.iter().any(|r| r == id) {
                        rules.push(id.to_string());
                    }
                }
                self.rules = rules;
            }
            other => {
                return Err(ParamError::new(
                    "",
                    &format!("unknown parameter `{other}`"),
                    &format!("expected one of {}", Params::NAMES.join(", ")),
                ))
            }
        }
        Ok(())
    }

    /// Sets or replaces the cost-model parameter `name` (`query_ms`, `items`, …); `value` must
    /// be a number. A later setting of the same name replaces the earlier one in place (its
    /// value and source: `--set` over `backlens.toml`), so [`Params::settings`] never holds
    /// two values for one parameter. On error nothing changes; the error names the parameter
    /// and what exists.
    pub fn set_cost(&mut self, name: &str, value: &str, source: &str) -> Result<(), ParamError> {
        let number: f64 =
            value.trim().parse().map_err(|_| ParamError::new(name, value, "a number, e.g. --set query_ms=8"))?;
        let mut probe = crate::cost::Profile::for_load(self.load_profile);
        probe.set(name, number, source).map_err(|e| ParamError::new("", &e, ""))?;
        let setting = Setting { name: name.to_string(), value: number, source: source.to_string() };
        match self.settings.iter_mut().find(|s| s.name == name) {
            Some(slot) => *slot = setting,
            None => self.settings.push(setting),
        }
        Ok(())
    }

    /// The user's setting of cost-model parameter `name`, if any.
    pub fn cost_setting(&self, name: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.name == name)
    }

    /// Removes the setting of `name` (its load-profile default applies again); whether there
    /// was one.
    pub fn remove_cost(&mut self, name: &str) -> bool {
        let before = self.settings.len();
        self.settings.retain(|s| s.name != name);
        self.settings.len() != before
    }

    /// Parses the seed's argument string, e.g. `target:"api" load_profile:"high"`.
    /// Values may be double-quoted, single-quoted or bare; later parameters override
    /// earlier ones; parameters not given keep their defaults. A leading `backend`
    /// (the seed's operation name) is ignored.
    pub fn parse_args(text: &str) -> Result<Params, ParamError> {
        let mut params = Params::default();
        params.apply_args(text)?;
        Ok(params)
    }

    /// Applies an argument string on top of the current values.
    pub fn apply_args(&mut self, text: &str) -> Result<(), ParamError> {
        let mut rest = text.trim();
        if let Some(after) = rest.strip_prefix("backend") {
            if after.is_empty() || after.starts_with(char::is_whitespace) {
                rest = after.trim_start();
            }
        }
        while !rest.is_empty() {
            let Some(colon) = rest.find(':') else {
                return Err(ParamError::new(
                    "",
                    &format!("cannot read {rest:?}"),
                    "expected name:\"value\" pairs such as target:\"api\" load_profile:\"high\"",
                ));
            };
            let name = rest[..colon].trim();
            if name.is_empty() || name.contains(char::is_whitespace) {
                return Err(ParamError::new(
                    "",
                    &format!("cannot read {rest:?}"),
                    "expected name:\"value\" pairs such as target:\"api\" load_profile:\"high\"",
                ));
            }
            let after = &rest[colon + 1..];
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(end) => (&after[1..1 + end], &after[end + 2..]),
                    None => return Err(ParamError::new(name, after, &format!("a value closed by {q}"))),
                },
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            self.set(name, value)?;
            rest = remaining.trim_start();
        }
        Ok(())
    }

    /// The argument string that reproduces these parameters.
    pub fn to_args(&self) -> String {
        let mut out = format!("target:\"{}\"", self.target.as_str());
        if !self.endpoints.is_empty() {
            let list: Vec<String> = self.endpoints.iter().map(|e| e.to_string()).collect();
            out.push_str(&format!(" endpoints:\"{}\"", list.join(",")));
        }
        out.push_str(&format!(
            " load_profile:\"{}\" priority:\"{}\"",
            self.load_profile.as_str(),
            self.priority.as_str()
        ));
        if !self.rules.is_empty() {
            out.push_str(&format!(" rules:\"{}\"", self.rules.join(",")));
        }
        out
    }

    /// Whether the rule `id` of `category` runs: a rule named in `rules` always does; otherwise
    /// its category must be in the target, and under `target:"all"` it must be on by default.
    pub fn runs_rule(&self, id: &str, category: Category) -> bool {
        if self.rules.iter().any(|r| r == id || r == "all") {
            return true;
        }
        self.target.includes(category) && (self.target != Target::All || crate::rules::off_by_default(id).is_none())
    }

    /// Whether a route-level finding on this endpoint passes the `endpoints` filter.
    pub fn endpoint_selected(&self, method: &str, path: &str) -> bool {
        self.endpoints.is_empty() || self.endpoints.iter().any(|p| p.matches(method, path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seeds_argument_string() {
        let p = Params::parse_args(
            r#"target:"api" endpoints:"/api/users,GET /api/posts/:id" load_profile:"high" priority:"critical""#,
        )
        .unwrap();
        assert_eq!(p.target, Target::Api);
        assert_eq!(p.load_profile, LoadProfile::High);
        assert_eq!(p.priority, Severity::Critical);
        assert_eq!(p.endpoints.len(), 2);
        assert_eq!(p.endpoints[1].method.as_deref(), Some("GET"));
        assert_eq!(Params::parse_args(&p.to_args()).unwrap(), p);
    }

    #[test]
    fn defaults_and_operation_name() {
        assert_eq!(Params::parse_args("").unwrap(), Params::default());
        assert_eq!(Params::parse_args("backend target:all").unwrap().target, Target::All);
    }

    #[test]
    fn bad_values_name_the_parameter_and_allowed_values() {
        let e = Params::parse_args(r#"load_profile:"extreme""#).unwrap_err();
        assert_eq!(e.parameter, "load_profile");
        assert!(e.to_string().contains("low, medium, high"), "{e}");
        let e = Params::parse_args(r#"target:"web""#).unwrap_err();
        assert!(e.to_string().contains("api, algorithms, caching, concurrency, all"), "{e}");
        assert!(Params::parse_args(r#"colour:"red""#).unwrap_err().to_string().contains("unknown parameter `colour`"));
        assert!(Params::parse_args(r#"target:"api"#).is_err());
        assert!(Params::parse_args("endpoints:users").unwrap_err().to_string().contains("endpoints"));
        assert!(Params::parse_args(r#"endpoints:"QUERY /posts""#).unwrap_err().to_string().contains("GraphQL"));
    }

    #[test]
    fn socket_events_and_server_actions_match_by_kind_and_name() {
        let p =
            Params::parse_args(r#"endpoints:"EVENT chat:message,event /admin user status,ACTION createPost""#).unwrap();
        assert!(p.endpoint_selected("EVENT", "chat:message"));
        assert!(p.endpoint_selected("EVENT", "/admin user status"));
        assert!(!p.endpoint_selected("EVENT", "user status"));
        assert!(p.endpoint_selected("ACTION", "createPost"));
        assert!(!p.endpoint_selected("ACTION", "deletePost"));
        assert!(!p.endpoint_selected("POST", "/chat:message"));
        assert!(!Params::parse_args(r#"endpoints:"/chat""#).unwrap().endpoint_selected("EVENT", "chat"));
        assert!(Params::parse_args(r#"endpoints:"ACTION a b""#).is_err());
    }

    #[test]
    fn graphql_operations_match_by_kind_and_name() {
        let p = Params::parse_args(r#"endpoints:"query posts,MUTATION *,/api/users""#).unwrap();
        assert!(p.endpoint_selected("QUERY", "posts"));
        assert!(!p.endpoint_selected("QUERY", "users"));
        assert!(p.endpoint_selected("MUTATION", "createPost"));
        assert!(!p.endpoint_selected("SUBSCRIPTION", "postAdded"));
        // An HTTP pattern never selects an operation of the same name, nor the reverse.
        assert!(!Params::parse_args(r#"endpoints:"/posts""#).unwrap().endpoint_selected("QUERY", "posts"));
        assert!(!p.endpoint_selected("GET", "/posts"));
        assert!(p.endpoint_selected("GET", "/api/users"));
        assert_eq!(Params::parse_args(&p.to_args()).unwrap(), p);
    }

    #[test]
    fn cost_settings_are_checked() {
        let mut p = Params::default();
        p.set_cost("query_ms", "8", "--set").unwrap();
        assert_eq!(crate::cost::Profile::for_params(&p).query_ms.value, 8.0);
        assert_eq!(crate::cost::Profile::for_params(&p).query_ms.source, "--set");
        let e = p.set_cost("latency", "1", "--set").unwrap_err().to_string();
        assert!(e.contains("unknown cost-model parameter `latency`") && e.contains("query_ms"), "{e}");
        assert!(p.set_cost("hit_rate", "1.5", "--set").unwrap_err().to_string().contains("from 0 to 1"));
        assert!(p.set_cost("items", "many", "--set").unwrap_err().to_string().contains("a number"));
    }

    #[test]
    fn a_cost_setting_is_replaced_not_duplicated() {
        let mut p = Params::default();
        p.set_cost("items", "10", "backlens.toml").unwrap();
        p.set_cost("query_ms", "8", "backlens.toml").unwrap();
        p.set_cost("items", "30", "--set").unwrap();
        assert_eq!(p.settings.len(), 2);
        let items = p.cost_setting("items").unwrap();
        assert_eq!((items.value, items.source.as_str()), (30.0, "--set"));
        // Replaced in place: the order of first setting is kept.
        assert_eq!(p.settings[0].name, "items");
        let profile = crate::cost::Profile::for_params(&p);
        assert_eq!((profile.items.value, profile.items.source.as_str()), (30.0, "--set"));
        // A bad value leaves the setting as it was.
        assert!(p.set_cost("items", "-1", "--set").is_err());
        assert_eq!(p.cost_setting("items").unwrap().value, 30.0);
        assert!(p.remove_cost("items"));
        assert!(!p.remove_cost("items"));
        assert!(p.cost_setting("items").is_none());
        assert_eq!(crate::cost::Profile::for_params(&p).items.source, "load_profile:medium");
    }

    #[test]
    fn endpoint_patterns_match_routes() {
        let p = EndpointPattern::parse("/api/users/:id").unwrap();
        assert!(p.matches("GET", "/api/users/:userId"));
        assert!(p.matches("DELETE", "/api/users/42"));
        assert!(!p.matches("GET", "/api/users"));
        let p = EndpointPattern::parse("get /api/users").unwrap();
        assert!(p.matches("GET", "/api/users/"));
        assert!(!p.matches("POST", "/api/users"));
        assert!(EndpointPattern::parse("/api/*").unwrap().matches("GET", "/api/a/b"));
        assert!(EndpointPattern::parse("FETCH /x").is_err());
    }
}
