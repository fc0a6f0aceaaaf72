//! What a call reaches: database (by library), cache, outbound HTTP, file system, CPU-bound
//! library code, a batch loader, a deliberate delay — or nothing backlens knows.
//!
//! A call is seen as a *chain* of segments, e.g. `this.prisma.user.findMany({…})` is
//! `this · prisma · user · findMany()`, `knex('users').where({…}).first()` is
//! `knex() · where() · first()`. The first called segment is the *operation*; what precedes it
//! is the *receiver*; what follows are modifiers (`.limit()`, `.exec()`, `.toArray()`).
//!
//! The receiver is recognised, in order, by (1) what its root name is bound to in the file
//! (`const prisma = new PrismaClient()`, `import { Pool } from 'pg'`, a NestJS constructor
//! parameter typed `Repository<User>`), then (2) the shape conventions every codebase of
//! these libraries follows: PascalCase models (`User.findAll`, `db.Post.findByPk`),
//! `…Repository`/`…Repo` for TypeORM, `…Model` for Mongoose, `prisma.<model>.<op>` for
//! Prisma, `pool`/`client`/`connection` with `.query`/`.execute` and SQL text. JavaScript
//! globals (`Object.create`, `Promise.all`, `Array.from`) are never models.

use serde::Serialize;

/// A database library.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Library {
    Sequelize,
    Prisma,
    TypeOrm,
    Mongoose,
    MongoDb,
    Knex,
    Pg,
    Mysql2,
    /// Objection.js: `Person.query()…`, `row.$relatedQuery('pets')`.
    Objection,
    /// Bookshelf.js: `User.where(…).fetchAll()`, `user.load('posts')`.
    Bookshelf,
    /// A model-style call (`User.findOne`) whose library the code does not say.
    Orm,
    /// SQL through a client whose library is unknown.
    Sql,
}

impl Library {
    pub fn as_str(self) -> &'static str {
        match self {
            Library::Sequelize => "Sequelize",
            Library::Prisma => "Prisma",
            Library::TypeOrm => "TypeORM",
            Library::Mongoose => "Mongoose",
            Library::MongoDb => "MongoDB",
            Library::Knex => "Knex",
            Library::Pg => "node-postgres",
            Library::Mysql2 => "mysql2",
            Library::Objection => "Objection",
            Library::Bookshelf => "Bookshelf",
            Library::Orm => "ORM",
            Library::Sql => "SQL client",
        }
    }
}

/// A database operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub library: Library,
    /// `findAll`, `findMany`, `query`, … (for Knex, the terminal method or `select`).
    pub operation: String,
    /// The model, table or collection: `Post`, `post`, `posts`.
    pub model: Option<String>,
    /// The receiver as written: `Post`, `prisma.post`, `this.postRepository`, `pool`.
    pub receiver: String,
    pub write: bool,
    /// Already batched: `$in`, `Op.in`, `{ in: … }`, `In(…)`, `whereIn`, `IN (…)`, `ANY(…)`.
    pub batched: bool,
    /// Eager-loads relations: `include`, `populate`, `relations`, `leftJoinAndSelect`, `with`.
    pub eager: bool,
    /// The SQL statement it runs, when it runs SQL text (a literal, or a name bound to one):
    /// its kind (read/write) and whether it has a `LIMIT` come from it ([`super::sql`]).
    pub sql: Option<String>,
    /// Lazy loading through a fetched row: an association accessor (`user.getPosts()`,
    /// `row.$get('posts')`), `doc.populate(…)`, `$relatedQuery`, Bookshelf `load` ([`super::lazy`]).
    pub lazy: bool,
}

/// What a call reaches.
#[derive(Clone, Debug, PartialEq)]
pub enum CallKind {
    Query(Query),
    /// A cache or Redis command (`redis.get`, `cache.set`).
    Cache {
        op: String,
    },
    /// An outbound HTTP request (`fetch`, `axios.get`, `got`, `undici.request`).
    Http {
        client: String,
    },
    /// File-system access; `sync` for `*Sync` calls.
    Fs {
        op: String,
        sync: bool,
    },
    /// CPU-bound or blocking library work run on the event loop (`pbkdf2Sync`, `execSync`).
    Cpu {
        op: String,
    },
    /// A DataLoader-style `load`/`loadMany`: batched by design.
    BatchLoad,
    /// A deliberate delay (`sleep(ms)`, `setTimeout` as a promise).
    Delay,
    /// Anything else (user code is resolved separately).
    Other,
}

/// What a name is bound to, as far as performance is concerned.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resource {
    /// `require('pkg')` / a default or namespace import of `pkg`.
    Module(String),
    /// A named import: `import { Pool } from 'pg'` → `Named("pg", "Pool")`.
    Named(String, String),
    Db(DbHandle),
    Model(Library),
    Redis,
    Http,
    Loader,
    App(super::Framework),
    Router(super::Framework),
}

impl Resource {
    /// A database, cache or HTTP client, a model or a batch loader: what another file that
    /// imports the name reaches through it.
    pub(crate) fn is_client(&self) -> bool {
        matches!(self, Resource::Db(_) | Resource::Model(_) | Resource::Redis | Resource::Http | Resource::Loader)
    }
}

/// A database handle kind (the receiver of queries).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum DbHandle {
    Prisma,
    Knex,
    Pg,
    Mysql2,
    Sequelize,
    MongoClient,
    MongoDb,
    MongoCollection,
    TypeOrmDataSource,
    TypeOrmRepository,
}

/// One segment of a call chain.
#[derive(Clone, Debug)]
pub(crate) struct Segment {
    pub name: String,
    pub called: bool,
    /// First argument when it is a string literal (`collection('users')`, `knex('users')`).
    pub first_string: Option<String>,
}

const JS_GLOBALS: &[&str] = &[
    "Object",
    "Array",
    "Promise",
    "JSON",
    "Math",
    "Number",
    "String",
    "Boolean",
    "Date",
    "Reflect",
    "Symbol",
    "Map",
    "Set",
    "WeakMap",
    "WeakSet",
    "Buffer",
    "Intl",
    "RegExp",
    "Error",
    "BigInt",
    "Atomics",
    "URL",
    "URLSearchParams",
    "Proxy",
    "Function",
    "ArrayBuffer",
    "DataView",
    "Uint8Array",
    "Int32Array",
    "Float64Array",
    "TextEncoder",
    "TextDecoder",
    "AbortController",
    "Headers",
    "Request",
    "Response",
    "FormData",
    "Blob",
    "EventEmitter",
    "Readable",
    "Writable",
    "Transform",
    "Stream",
    "Worker",
    "Logger",
    "console",
    "process",
    // Metrics clients (StatsD, hot-shots, Datadog): `Metrics.increment('logger.warning')` is a
    // counter, not Sequelize's `Model.increment` (outline's Logger bumps one on every warning).
    "Metrics",
    "StatsD",
    "Statsd",
    "Analytics",
    "Telemetry",
];

const SEQUELIZE_MODEL: &[&str] = &[
    "findAll",
    "findOne",
    "findByPk",
    "findAndCountAll",
    "findOrCreate",
    "findCreateFind",
    "count",
    "max",
    "min",
    "sum",
    "create",
    "bulkCreate",
    "update",
    "destroy",
    "upsert",
    "increment",
    "decrement",
    "aggregate",
    "restore",
];
const MONGOOSE_MODEL: &[&str] = &[
    "find",
    "findOne",
    "findById",
    "findOneAndUpdate",
    "findByIdAndUpdate",
    "findOneAndDelete",
    "findByIdAndDelete",
    "findOneAndRemove",
    "findByIdAndRemove",
    "findOneAndReplace",
    "countDocuments",
    "estimatedDocumentCount",
    "create",
    "insertMany",
    "updateOne",
    "updateMany",
    "deleteOne",
    "deleteMany",
    "aggregate",
    "distinct",
    "exists",
    "bulkWrite",
    "replaceOne",
    "where",
];
const TYPEORM_REPOSITORY: &[&str] = &[
    "find",
    "findOne",
    "findOneBy",
    "findBy",
    "findAndCount",
    "findAndCountBy",
    "findOneOrFail",
    "findOneByOrFail",
    "findByIds",
    "count",
    "countBy",
    "save",
    "insert",
    "update",
    "delete",
    "remove",
    "softDelete",
    "softRemove",
    "upsert",
    "exist",
    "exists",
    "existsBy",
    "query",
    "sum",
    "average",
    "minimum",
    "maximum",
    "increment",
    "decrement",
    "preload",
    "findOneById",
];
const PRISMA_DELEGATE: &[&str] = &[
    "findMany",
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "create",
    "createMany",
    "createManyAndReturn",
    "update",
    "updateMany",
    "updateManyAndReturn",
    "upsert",
    "delete",
    "deleteMany",
    "count",
    "aggregate",
    "groupBy",
];
const PRISMA_RAW: &[&str] = &["$queryRaw", "$queryRawUnsafe", "$executeRaw", "$executeRawUnsafe", "$runCommandRaw"];
const MONGO_COLLECTION: &[&str] = &[
    "find",
    "findOne",
    "insertOne",
    "insertMany",
    "updateOne",
    "updateMany",
    "deleteOne",
    "deleteMany",
    "aggregate",
    "countDocuments",
    "estimatedDocumentCount",
    "findOneAndUpdate",
    "findOneAndDelete",
    "findOneAndReplace",
    "replaceOne",
    "bulkWrite",
    "distinct",
];
const QUERY_BUILDER_TERMINALS: &[&str] = &[
    "getMany",
    "getOne",
    "getOneOrFail",
    "getRawMany",
    "getRawOne",
    "getCount",
    "getManyAndCount",
    "getExists",
    "execute",
    "stream",
];
const SQL_METHODS: &[&str] = &["query", "execute"];
const SQL_RECEIVERS: &[&str] =
    &["pool", "client", "db", "conn", "connection", "pg", "mysql", "database", "sql", "tx", "trx"];
const REDIS_METHODS: &[&str] = &[
    "get",
    "set",
    "setex",
    "setEx",
    "psetex",
    "mget",
    "mGet",
    "mset",
    "mSet",
    "hget",
    "hGet",
    "hgetall",
    "hGetAll",
    "hset",
    "hSet",
    "hmget",
    "hmset",
    "del",
    "unlink",
    "expire",
    "incr",
    "incrby",
    "decr",
    "exists",
    "ttl",
    "lpush",
    "rpush",
    "lrange",
    "sadd",
    "smembers",
    "sismember",
    "zadd",
    "zrange",
    "zrangebyscore",
    "getex",
    "getEx",
];
const CACHE_RECEIVERS: &[&str] = &["redis", "redisclient", "cache", "cacheclient", "cachemanager", "memcached", "keyv"];
const HTTP_CLIENTS: &[&str] = &[
    "axios",
    "got",
    "undici",
    "superagent",
    "needle",
    "ky",
    "httpclient",
    "httpservice",
    "http",
    "https",
    "request",
    "nodefetch",
];
const HTTP_METHODS: &[&str] =
    &["get", "post", "put", "patch", "delete", "head", "options", "request", "fetch", "stream"];
const CPU_SYNC: &[&str] = &[
    "pbkdf2Sync",
    "scryptSync",
    "generateKeyPairSync",
    "generatePrimeSync",
    "hashSync",
    "compareSync",
    "genSaltSync",
    "gzipSync",
    "gunzipSync",
    "deflateSync",
    "inflateSync",
    "brotliCompressSync",
    "brotliDecompressSync",
    "unzipSync",
    "execSync",
    "execFileSync",
    "spawnSync",
    "deflateRawSync",
    "inflateRawSync",
];
const DELAYS: &[&str] = &["sleep", "delay", "wait", "setTimeout", "timeout", "backoff", "pause"];
const WRITE_OPS: &[&str] = &[
    "create",
    "bulkCreate",
    "createMany",
    "createManyAndReturn",
    "insert",
    "insertOne",
    "insertMany",
    "save",
    "update",
    "updateOne",
    "updateMany",
    "upsert",
    "destroy",
    "delete",
    "deleteOne",
    "deleteMany",
    "remove",
    "increment",
    "decrement",
    "findOneAndUpdate",
    "findByIdAndUpdate",
    "findOneAndDelete",
    "findByIdAndDelete",
    "bulkWrite",
    "replaceOne",
    "softDelete",
    "del",
    "findOrCreate",
    "restore",
];

/// The npm packages that give a binding its meaning.
pub(crate) fn module_resource(pkg: &str) -> Resource {
    Resource::Module(pkg.to_string())
}

fn is_pascal(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && name.chars().any(|c| c.is_ascii_lowercase())
}

fn lower(name: &str) -> String {
    name.to_ascii_lowercase()
}

pub(crate) use super::sql::looks_like_sql;

/// Facts about the call's full source text that the ORMs express in many syntaxes.
fn batched(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    text.contains("$in")
        || text.contains("Op.in")
        || text.contains("whereIn")
        || text.contains("findByIds")
        || has_word(text, "In(")
        || has_key(text, "in")
        || upper.contains(" IN (")
        || upper.contains(" IN(")
        || has_word(&upper, "ANY(")
        || has_word(&upper, "ANY (")
}

/// Whether `word` appears with no identifier character right before it (`ANY(` but not
/// `findMany(`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word)
        .any(|(i, _)| !text[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$'))
}

/// Whether `key:` appears as an object key (not as the end of a longer word).
fn has_key(text: &str, key: &str) -> bool {
    let pattern = format!("{key}:");
    text.match_indices(&pattern)
        .any(|(i, _)| !text[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$'))
}

fn eager(text: &str) -> bool {
    [
        "include:",
        "include :",
        "populate(",
        "relations:",
        "relations :",
        "leftJoinAndSelect",
        "innerJoinAndSelect",
        "withGraphFetched",
        "with:",
        ".join(",
    ]
    .iter()
    .any(|k| text.contains(k))
}

/// Classifies a call chain. `root_resource` is what the chain's root name is bound to
/// (`this.field` roots are resolved by the caller to the field's resource); `args0` is the
/// source of the operation's first argument; `text` the whole call's source.
pub(crate) fn classify(
    segments: &[Segment],
    root_resource: Option<&Resource>,
    text: &str,
    first_arg: &str,
) -> CallKind {
    let Some(op_index) = segments.iter().position(|s| s.called) else {
        return CallKind::Other;
    };
    let op = &segments[op_index];
    let receiver: Vec<&str> = segments[..op_index].iter().map(|s| s.name.as_str()).collect();
    let receiver_text = receiver.join(".");
    let last_receiver = receiver.last().copied().unwrap_or("");
    let names: Vec<&str> = segments.iter().map(|s| s.name.as_str()).collect();
    let query = |library: Library, operation: &str, model: Option<String>| {
        let sql = super::sql::statement(first_arg);
        let write = WRITE_OPS.contains(&operation) || sql.is_some_and(super::sql::is_write);
        CallKind::Query(Query {
            library,
            operation: operation.to_string(),
            model,
            receiver: receiver_text.clone(),
            write,
            batched: batched(text) || sql.is_some_and(batched),
            eager: eager(text),
            sql: sql.map(|s| s.trim_end_matches(['`', '\'', '"']).to_string()),
            lazy: false,
        })
    };
    // A chain that holds an accessor: `db.collection('x').find()`, `getRepository(X).find()`,
    // `x.createQueryBuilder('u')…getMany()`.
    if let Some(i) = names.iter().position(|n| *n == "collection") {
        if segments[i].called {
            if let Some(next) = segments[i + 1..].iter().find(|s| s.called) {
                if MONGO_COLLECTION.contains(&next.name.as_str()) {
                    return query(Library::MongoDb, &next.name, segments[i].first_string.clone());
                }
            }
        }
    }
    if names.contains(&"createQueryBuilder") {
        if let Some(term) =
            segments.iter().rev().find(|s| s.called && QUERY_BUILDER_TERMINALS.contains(&s.name.as_str()))
        {
            return query(Library::TypeOrm, &term.name, None);
        }
        return CallKind::Other;
    }
    if let Some(i) = names.iter().position(|n| *n == "getRepository" || *n == "getMongoRepository") {
        if let Some(next) = segments[i + 1..].iter().find(|s| s.called) {
            if TYPEORM_REPOSITORY.contains(&next.name.as_str()) {
                return query(Library::TypeOrm, &next.name, None);
            }
        }
        return CallKind::Other;
    }

    let opname = op.name.as_str();
    let root = segments[0].name.as_str();
    let root_is_module =
        |pkgs: &[&str]| matches!(root_resource, Some(Resource::Module(m)) if pkgs.contains(&m.as_str()));

    // Knex: the chain starts by calling the knex instance: `knex('users')…`, or `knex.select()…`.
    if matches!(root_resource, Some(Resource::Db(DbHandle::Knex))) || (root_resource.is_none() && root == "knex") {
        if op_index == 0 || !["destroy", "transaction", "schema", "migrate", "seed"].contains(&opname) {
            let terminal = segments.iter().rev().find(|s| s.called).map(|s| s.name.as_str()).unwrap_or("select");
            let operation = if op_index == 0 { terminal } else { opname };
            let model = segments[0].first_string.clone().or_else(|| {
                segments.iter().find(|s| s.name == "from" || s.name == "table").and_then(|s| s.first_string.clone())
            });
            let operation = if operation == root { "select" } else { operation };
            return query(Library::Knex, operation, model);
        }
        return CallKind::Other;
    }

    // SQL text passed to any call runs a query (`store.all('SELECT …')`, `db.execute(sql)`,
    // a project's own `rawQuery(sql)`), except where the text is only logged, formatted or
    // collected ([`super::sql::runs`]).
    if looks_like_sql(first_arg)
        && !JS_GLOBALS.contains(&root)
        && super::sql::runs(if op_index == 0 { "" } else { root }, opname)
        && !matches!(root_resource, Some(Resource::Redis | Resource::Http | Resource::Loader))
    {
        let lower_receiver = lower(&receiver_text);
        let library = match root_resource {
            Some(Resource::Db(DbHandle::Pg)) => Library::Pg,
            Some(Resource::Db(DbHandle::Mysql2)) => Library::Mysql2,
            Some(Resource::Db(DbHandle::Sequelize)) => Library::Sequelize,
            Some(Resource::Db(DbHandle::Prisma)) => Library::Prisma,
            Some(Resource::Db(DbHandle::TypeOrmDataSource | DbHandle::TypeOrmRepository)) => Library::TypeOrm,
            _ if lower_receiver.contains("sequelize") => Library::Sequelize,
            _ if lower_receiver.contains("prisma") || opname.starts_with("$queryRaw") || opname.starts_with("$executeRaw") => {
                Library::Prisma
            }
            _ => Library::Sql,
        };
        return query(library, opname, None);
    }

    // Receivers known from bindings.
    match root_resource {
        Some(Resource::Db(handle)) => {
            let handle = *handle;
            return match handle {
                DbHandle::Prisma => {
                    if op_index == 2 && PRISMA_DELEGATE.contains(&opname) {
                        query(Library::Prisma, opname, Some(receiver[1].to_string()))
                    } else if op_index == 1 && PRISMA_RAW.contains(&opname) {
                        query(Library::Prisma, opname, None)
                    } else {
                        CallKind::Other
                    }
                }
                DbHandle::Pg | DbHandle::Mysql2 | DbHandle::Sequelize | DbHandle::TypeOrmDataSource
                    if op_index == 1 && SQL_METHODS.contains(&opname) =>
                {
                    let lib = match handle {
                        DbHandle::Pg => Library::Pg,
                        DbHandle::Mysql2 => Library::Mysql2,
                        DbHandle::Sequelize => Library::Sequelize,
                        _ => Library::TypeOrm,
                    };
                    query(lib, opname, None)
                }
                DbHandle::TypeOrmRepository if op_index == 1 && TYPEORM_REPOSITORY.contains(&opname) => {
                    query(Library::TypeOrm, opname, None)
                }
                DbHandle::MongoCollection if op_index == 1 && MONGO_COLLECTION.contains(&opname) => {
                    query(Library::MongoDb, opname, None)
                }
                _ => CallKind::Other,
            };
        }
        Some(Resource::Model(lib)) if op_index == 1 => {
            let lib = *lib;
            let known = match lib {
                Library::Sequelize => SEQUELIZE_MODEL.contains(&opname),
                // `Model.count()`: Mongoose before 7 (bailicangdu/node-elm).
                Library::Mongoose => MONGOOSE_MODEL.contains(&opname) || opname == "count",
                _ => SEQUELIZE_MODEL.contains(&opname) || MONGOOSE_MODEL.contains(&opname),
            };
            return if known { query(lib, opname, Some(root.to_string())) } else { CallKind::Other };
        }
        Some(Resource::Redis) if op_index >= 1 => {
            return if REDIS_METHODS.contains(&opname) || opname == "pipeline" || opname == "multi" {
                CallKind::Cache { op: opname.to_string() }
            } else {
                CallKind::Other
            };
        }
        Some(Resource::Http) => return CallKind::Http { client: root.to_string() },
        Some(Resource::Loader) if opname == "load" || opname == "loadMany" => return CallKind::BatchLoad,
        _ => {}
    }

    // Node's built-in modules and well-known libraries.
    if root_is_module(&["fs", "node:fs", "fs-extra", "graceful-fs"])
        || root_is_module(&["fs/promises", "node:fs/promises"])
    {
        let sync = opname.ends_with("Sync");
        return CallKind::Fs { op: opname.to_string(), sync };
    }
    if let Some(Resource::Named(pkg, name)) = root_resource {
        if op_index == 0 {
            if ["fs", "node:fs", "fs-extra"].contains(&pkg.as_str()) {
                return CallKind::Fs { op: name.clone(), sync: name.ends_with("Sync") };
            }
            if ["fs/promises", "node:fs/promises"].contains(&pkg.as_str()) {
                return CallKind::Fs { op: name.clone(), sync: false };
            }
            if CPU_SYNC.contains(&name.as_str()) {
                return CallKind::Cpu { op: name.clone() };
            }
            if pkg == "timers/promises" || pkg == "node:timers/promises" {
                return CallKind::Delay;
            }
            if ["undici", "node-fetch", "got", "axios", "ky"].contains(&pkg.as_str()) {
                return CallKind::Http { client: pkg.clone() };
            }
        }
    }
    if CPU_SYNC.contains(&opname)
        && (root_is_module(&[
            "crypto",
            "node:crypto",
            "zlib",
            "node:zlib",
            "bcrypt",
            "bcryptjs",
            "child_process",
            "node:child_process",
        ]) || ["crypto", "zlib", "bcrypt", "bcryptjs", "child_process", "cp"].contains(&root))
    {
        return CallKind::Cpu { op: opname.to_string() };
    }
    if op_index >= 1 && root == "fs" {
        return CallKind::Fs { op: opname.to_string(), sync: opname.ends_with("Sync") };
    }
    if op_index == 2 && root == "fs" && receiver.get(1) == Some(&"promises") {
        return CallKind::Fs { op: opname.to_string(), sync: false };
    }
    if op_index == 0 && (root == "fetch" || root_is_module(&["node-fetch", "got", "axios", "undici", "ky"])) {
        return CallKind::Http { client: root.to_string() };
    }
    // Node's `http`/`https` modules send with `request` and `get` only.
    if op_index >= 1
        && HTTP_CLIENTS.contains(&lower(last_receiver).as_str())
        && HTTP_METHODS.contains(&opname)
        && (!(root == "http" || root == "https") || opname == "request" || opname == "get")
    {
        return CallKind::Http { client: receiver_text };
    }
    if op_index == 0 && DELAYS.contains(&opname) {
        return CallKind::Delay;
    }
    if (opname == "load" || opname == "loadMany")
        && (lower(last_receiver).ends_with("loader") || names.iter().any(|n| lower(n).contains("loader")))
    {
        return CallKind::BatchLoad;
    }

    // Objection: `Person.query()…`, `WIKI.models.pages.query()…`, `row.$query().patch(…)`
    // (no argument but a transaction); Bookshelf: `User.where(…).fetchAll()`,
    // `User.forge({ id }).fetch()`.
    if op_index >= 1 && !JS_GLOBALS.contains(&root) {
        let no_sql_arg = first_arg.is_empty() || ["trx", "tx", "transaction", "knex"].contains(&first_arg.trim());
        let model_like = is_pascal(last_receiver) || receiver.contains(&"models");
        if (opname == "$query" || opname == "query" && model_like) && no_sql_arg && segments[op_index].first_string.is_none()
        {
            const OBJECTION_WRITES: &[&str] = &[
                "insert", "patch", "update", "delete", "del", "deleteById", "patchAndFetchById", "updateAndFetchById",
                "insertGraph", "upsertGraph", "relate", "unrelate", "increment", "decrement", "insertAndFetch",
                "patchAndFetch",
            ];
            let write = segments[op_index + 1..].iter().any(|s| s.called && OBJECTION_WRITES.contains(&s.name.as_str()));
            let terminal = segments.iter().rev().find(|s| s.called).map(|s| s.name.as_str()).unwrap_or(opname);
            let operation = if terminal == opname { "select" } else { terminal };
            if let CallKind::Query(mut q) = query(Library::Objection, operation, Some(last_receiver.to_string())) {
                q.write = write;
                return CallKind::Query(q);
            }
        }
        let bookshelf_fetch = names.iter().any(|n| ["fetchAll", "fetchPage"].contains(n))
            || (names.last() == Some(&"fetch") && (names.contains(&"forge") || names.contains(&"where")));
        if bookshelf_fetch && is_pascal(root) {
            let terminal = segments.iter().rev().find(|s| s.called).map(|s| s.name.as_str()).unwrap_or(opname);
            return query(Library::Bookshelf, terminal, Some(root.to_string()));
        }
    }

    // Shape conventions for receivers whose binding is not in the analysed code.
    if op_index >= 1 && !JS_GLOBALS.contains(&root) {
        let last_lower = lower(last_receiver);
        // prisma.user.findMany(), this.prisma.post.create()
        if op_index >= 2 && PRISMA_DELEGATE.contains(&opname) && lower(receiver[op_index - 2]).contains("prisma") {
            return query(Library::Prisma, opname, Some(last_receiver.to_string()));
        }
        if PRISMA_RAW.contains(&opname) && last_lower.contains("prisma") {
            return query(Library::Prisma, opname, None);
        }
        if (last_lower.ends_with("repository") || last_lower.ends_with("repo")) && TYPEORM_REPOSITORY.contains(&opname)
        {
            return query(Library::TypeOrm, opname, None);
        }
        if last_lower.ends_with("model") && last_lower != "model" && MONGOOSE_MODEL.contains(&opname) {
            return query(Library::Mongoose, opname, Some(last_receiver.to_string()));
        }
        if (last_lower.ends_with("collection") || last_lower.ends_with("coll")) && MONGO_COLLECTION.contains(&opname) {
            return query(Library::MongoDb, opname, None);
        }
        // `sequelize.models.user.findAll()`, `models.user.findByPk(id)`: Sequelize's registry of
        // defined models (sequelize/express-example), whatever the models are named.
        if op_index >= 2 && receiver[op_index - 2] == "models" && SEQUELIZE_MODEL.contains(&opname) {
            return query(Library::Sequelize, opname, Some(last_receiver.to_string()));
        }
        if is_pascal(last_receiver) && !JS_GLOBALS.contains(&last_receiver) {
            if SEQUELIZE_MODEL.contains(&opname) && !MONGOOSE_MODEL.contains(&opname) {
                return query(Library::Sequelize, opname, Some(last_receiver.to_string()));
            }
            if MONGOOSE_MODEL.contains(&opname) && !SEQUELIZE_MODEL.contains(&opname) {
                return query(Library::Mongoose, opname, Some(last_receiver.to_string()));
            }
            if SEQUELIZE_MODEL.contains(&opname) {
                return query(Library::Orm, opname, Some(last_receiver.to_string()));
            }
        }
        if SQL_METHODS.contains(&opname) && (SQL_RECEIVERS.contains(&last_lower.as_str()) || looks_like_sql(first_arg))
        {
            return query(Library::Sql, opname, None);
        }
        // `redis.get`, and a client held by a cache module: `redis.client.get` (kutt).
        let cache_receiver = CACHE_RECEIVERS.contains(&last_lower.as_str())
            || (last_lower == "client" && receiver.iter().any(|r| CACHE_RECEIVERS.contains(&lower(r).as_str())));
        if cache_receiver && REDIS_METHODS.contains(&opname) {
            return CallKind::Cache { op: opname.to_string() };
        }
    }
    if op_index == 0 && SQL_METHODS.contains(&opname) && looks_like_sql(first_arg) {
        return query(Library::Sql, opname, None);
    }
    CallKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(spec: &str) -> Vec<Segment> {
        spec.split('.')
            .map(|s| {
                let (name, called, first) = match s.split_once('(') {
                    Some((n, rest)) => {
                        let arg = rest.trim_end_matches(')').trim_matches('\'');
                        (n, true, if arg.is_empty() { None } else { Some(arg.to_string()) })
                    }
                    None => (s, false, None),
                };
                Segment { name: name.into(), called, first_string: first }
            })
            .collect()
    }

    fn kind(spec: &str) -> CallKind {
        classify(&seg(spec), None, spec, "")
    }

    fn library(spec: &str) -> Option<Library> {
        match kind(spec) {
            CallKind::Query(q) => Some(q.library),
            _ => None,
        }
    }

    #[test]
    fn recognises_each_orm_by_shape() {
        assert_eq!(library("Post.findAll()"), Some(Library::Sequelize));
        assert_eq!(library("db.Post.findByPk()"), Some(Library::Sequelize));
        assert_eq!(library("models.user.findAll()"), Some(Library::Sequelize));
        assert_eq!(library("sequelize.models.orchestra.findByPk()"), Some(Library::Sequelize));
        assert_eq!(library("User.findById()"), Some(Library::Mongoose));
        assert_eq!(library("User.find().limit().lean()"), Some(Library::Mongoose));
        assert_eq!(library("this.userModel.find().exec()"), Some(Library::Mongoose));
        assert_eq!(library("prisma.post.findMany()"), Some(Library::Prisma));
        assert_eq!(library("this.prisma.user.findUnique()"), Some(Library::Prisma));
        assert_eq!(library("this.usersRepository.findOneBy()"), Some(Library::TypeOrm));
        assert_eq!(library("dataSource.getRepository().find()"), Some(Library::TypeOrm));
        assert_eq!(library("repo.createQueryBuilder().where().getMany()"), Some(Library::TypeOrm));
        assert_eq!(library("db.collection('users').find().toArray()"), Some(Library::MongoDb));
        assert_eq!(library("knex('users').where().first()"), Some(Library::Knex));
        assert_eq!(library("pool.query()"), Some(Library::Sql));
    }

    #[test]
    fn leaves_arrays_globals_and_strings_alone() {
        assert_eq!(library("users.find()"), None);
        assert_eq!(library("Object.create()"), None);
        assert_eq!(library("Promise.all()"), None);
        assert_eq!(library("Array.from()"), None);
        assert_eq!(library("items.filter().map()"), None);
        assert_eq!(library("repo.createQueryBuilder()"), None);
    }

    #[test]
    fn recognises_other_io() {
        assert!(matches!(kind("fetch()"), CallKind::Http { .. }));
        assert!(matches!(kind("axios.get()"), CallKind::Http { .. }));
        assert!(matches!(kind("redis.get()"), CallKind::Cache { .. }));
        assert!(matches!(kind("redis.client.get()"), CallKind::Cache { .. }));
        assert!(!matches!(kind("api.client.get()"), CallKind::Cache { .. }));
        assert!(matches!(kind("fs.readFileSync()"), CallKind::Fs { sync: true, .. }));
        assert!(matches!(kind("crypto.pbkdf2Sync()"), CallKind::Cpu { .. }));
        assert!(matches!(kind("userLoader.load()"), CallKind::BatchLoad));
        assert!(matches!(kind("sleep()"), CallKind::Delay));
    }

    #[test]
    fn batching_and_eager_loading_are_seen() {
        let q = |text: &str| match classify(&seg("Post.findAll()"), None, text, "") {
            CallKind::Query(q) => q,
            other => panic!("{other:?}"),
        };
        assert!(q("Post.findAll({ where: { userId: { $in: ids } } })").batched);
        assert!(q("Post.findAll({ where: { userId: { [Op.in]: ids } } })").batched);
        assert!(q("User.findAll({ include: [{ model: Post, as: 'posts' }] })").eager);
        assert!(!q("Post.findAll({ where: { userId: user.id } })").batched);
        assert!(!q("prisma.book.findMany({ where: { authorId: a.id } })").batched, "findMany( is not ANY(");
        assert!(q("pool.query('SELECT * FROM t WHERE id = ANY($1)', [ids])").batched);
    }
}
