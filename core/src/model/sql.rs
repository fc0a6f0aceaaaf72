//! SQL text: a query is a query whatever its receiver.
//!
//! A string or template literal whose text is a SQL statement — `SELECT … FROM`, `INSERT
//! INTO`, `UPDATE … SET`, `DELETE FROM`, `WITH name AS (`, `REPLACE INTO`, in upper or lower
//! case, after whitespace, comments or an opening parenthesis — passed as the first argument
//! of a call runs a query: `store.all('SELECT …')`, `db.execute(…)`, `sequelize.query(…)`, a
//! project's own `rawQuery(sql, params)`, or any of these with a `const sql = '…'` bound
//! earlier in the file. English text that starts with the same words ("Select a file",
//! "Update failed") is not SQL: the keyword must be all upper or all lower case and be
//! followed by the clause SQL requires.
//!
//! Calls that take SQL text without running it are not queries: logging, formatting and
//! escaping (`format`, `escape`, `log`), building lists of statements (`push`, `concat`),
//! preparing a statement that runs later (`db.prepare(sql)`; `db.prepare(sql).all()` runs).

/// The SQL statement a literal's source text holds (quotes, leading whitespace, comments and
/// parentheses skipped), or `None` when it is not SQL.
pub(crate) fn statement(text: &str) -> Option<&str> {
    let mut t = text.trim_start_matches(['`', '\'', '"']);
    loop {
        let before = t.len();
        t = t.trim_start().trim_start_matches('(');
        if let Some(rest) = t.strip_prefix("--") {
            t = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = t.strip_prefix("/*") {
            t = rest.split_once("*/").map_or("", |(_, r)| r);
        }
        if t.len() == before {
            break;
        }
    }
    let word_len = t.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (word, rest) = t.split_at(word_len);
    let upper = word.chars().all(|c| c.is_ascii_uppercase());
    let lower = word.chars().all(|c| c.is_ascii_lowercase());
    if word.is_empty() || !(upper || lower) || !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let words: Vec<String> = rest
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .take(200)
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let next = words.first().map(String::as_str).unwrap_or("");
    let has = |w: &str| words.iter().any(|x| x == w);
    let ok = match word.to_ascii_uppercase().as_str() {
        // `SELECT … FROM`, or a select of values: `SELECT 1`, `SELECT now()`, `SELECT $1::int`.
        "SELECT" => {
            let after = rest.trim_start();
            has("FROM")
                || after.starts_with(|c: char| c.is_ascii_digit() || "*($@'".contains(c))
                || after.split_whitespace().next().is_some_and(|w| w.contains('(') && !w.starts_with('('))
        }
        "INSERT" | "REPLACE" => next == "INTO",
        "UPDATE" => words.len() >= 2 && words[1..].iter().any(|w| w == "SET"),
        "DELETE" => next == "FROM",
        "WITH" => {
            let name = if next == "RECURSIVE" { words.get(1) } else { words.first() };
            name.is_some() && (has("AS") || rest.contains('('))
        }
        _ => false,
    };
    ok.then_some(t)
}

/// Whether text looks like SQL.
pub(crate) fn looks_like_sql(text: &str) -> bool {
    statement(text).is_some()
}

/// Whether the SQL writes (`INSERT`, `UPDATE`, `DELETE`, `REPLACE`; a `WITH` whose body writes).
pub(crate) fn is_write(text: &str) -> bool {
    let Some(stmt) = statement(text) else { return false };
    let upper = stmt.to_ascii_uppercase();
    let first = upper.split_whitespace().next().unwrap_or("");
    match first {
        "INSERT" | "UPDATE" | "DELETE" | "REPLACE" => true,
        "WITH" => {
            let flat = upper.split_whitespace().collect::<Vec<_>>().join(" ");
            [") INSERT INTO ", ") UPDATE ", ") DELETE FROM "].iter().any(|k| flat.contains(k))
        }
        _ => false,
    }
}

/// Whether a SELECT bounds its rows: `LIMIT`, `FETCH FIRST`, `TOP`.
pub fn has_limit(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').collect();
    words.iter().any(|w| *w == "LIMIT" || *w == "TOP") || upper.contains("FETCH FIRST") || upper.contains("FETCH NEXT")
}

/// Methods that take SQL text without running it.
const NOT_RUN: &[&str] = &[
    "format",
    "escape",
    "escapeId",
    "raw_format",
    "log",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "verbose",
    "push",
    "unshift",
    "concat",
    "join",
    "replace",
    "replaceAll",
    "split",
    "includes",
    "startsWith",
    "endsWith",
    "indexOf",
    "match",
    "test",
    "prepare",
    "sql",
    "t",
    "__",
    "translate",
    "equal",
    "equals",
    "toEqual",
    "toBe",
    "toContain",
    "toMatch",
    "expect",
    "assert",
    "set",
    "has",
    "add",
    "write",
    "send",
    "json",
    "emit",
    "String",
    "dedent",
    "stripIndent",
];

/// Receivers that take SQL text without running it.
const NOT_RUN_RECEIVERS: &[&str] = &["console", "logger", "log", "Logger", "assert", "expect", "res", "reply", "ctx"];

/// Whether `receiver.op(sql, …)` runs its SQL text (`op` is the first called segment's name,
/// `receiver` the root name, empty for a plain call).
pub(crate) fn runs(receiver: &str, op: &str) -> bool {
    !NOT_RUN.contains(&op) && !NOT_RUN_RECEIVERS.contains(&receiver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_in_any_case_after_comments_and_parentheses() {
        assert!(looks_like_sql("'SELECT * FROM users WHERE id = $1'"));
        assert!(looks_like_sql("`\n  select id, name\n  from users`"));
        assert!(looks_like_sql("\"-- the feed\nSELECT p.* FROM posts p\""));
        assert!(looks_like_sql("'/* hint */ (SELECT 1)'"));
        assert!(looks_like_sql("'SELECT 1'"));
        assert!(looks_like_sql("'SELECT now()'"));
        assert!(looks_like_sql("'insert into t (a) values (?)'"));
        assert!(looks_like_sql("'UPDATE users SET name = $1 WHERE id = $2'"));
        assert!(looks_like_sql("'DELETE FROM sessions WHERE expires < now()'"));
        assert!(looks_like_sql("`WITH recent AS (SELECT * FROM events) SELECT * FROM recent`"));
        assert!(looks_like_sql("'SELECT\tcount(*)\tFROM t'"));
    }

    #[test]
    fn english_is_not_sql() {
        assert!(!looks_like_sql("'Select a file'"));
        assert!(!looks_like_sql("'Update failed'"));
        assert!(!looks_like_sql("'Delete this document?'"));
        assert!(!looks_like_sql("'with great power'"));
        assert!(!looks_like_sql("'update your profile'"));
        assert!(!looks_like_sql("'insert a coin'"));
        assert!(!looks_like_sql("'selection'"));
        assert!(!looks_like_sql("'SELECT'"));
    }

    #[test]
    fn writes_and_limits() {
        assert!(is_write("'INSERT INTO t VALUES (1)'"));
        assert!(is_write("'update t set a = 1'"));
        assert!(!is_write("'SELECT * FROM t'"));
        assert!(is_write("'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x'"));
        assert!(!is_write("'WITH x AS (SELECT 1) SELECT * FROM x'"));
        assert!(has_limit("SELECT * FROM t LIMIT 10"));
        assert!(has_limit("select * from t limit $1"));
        assert!(!has_limit("SELECT * FROM limits"));
        assert!(has_limit("SELECT * FROM t FETCH FIRST 10 ROWS ONLY"));
    }

    #[test]
    fn taking_sql_text_is_not_always_running_it() {
        assert!(runs("store", "all"));
        assert!(runs("db", "execute"));
        assert!(runs("", "rawQuery"));
        assert!(!runs("console", "log"));
        assert!(!runs("statements", "push"));
        assert!(!runs("db", "prepare"));
        assert!(!runs("mysql", "format"));
    }
}
