//! Whether a rewrite may be written in a library's API.
//!
//! A query's library is known from the client it is called on, or guessed from the call's
//! shape (`User.find()` is Mongoose's, `User.findAll()` Sequelize's). A guess is not evidence
//! enough to write that library's methods into a rewrite when the program imports other data
//! libraries and not this one: Objection's or Sequelize's `Model.find…` given Mongoose's
//! `.skip().limit()`, or `bulkCreate` on a model of anything but Sequelize, would invent
//! methods. Each library's batch and paging API, checked against its documentation:
//!
//! | library | page | many rows in one write |
//! |---|---|---|
//! | Mongoose, MongoDB driver | `.skip(n).limit(n)` | `insertMany`, `bulkWrite` |
//! | Sequelize | `{ limit, offset }` | `bulkCreate` |
//! | Prisma | `{ take, skip }` | `createMany({ data })` |
//! | TypeORM | `{ take, skip }` | `save([...])`, `insert([...])` |
//! | Knex | `.limit(n).offset(n)` | `insert([...])` |
//! | pg, mysql2, SQL | `LIMIT … OFFSET …` | multi-row `VALUES`, `unnest` |
//!
//! A model-style call whose library the call does not say (`Library::Orm`: `Tag.create(…)` is
//! both Sequelize's and Mongoose's) is the program's one model library when it imports exactly
//! one of them, and gets no rewrite otherwise.

use super::Context;
use crate::model::Library;

/// The modules that provide `library`.
fn modules(library: Library) -> &'static [&'static str] {
    match library {
        Library::Sequelize => &["sequelize", "sequelize-typescript", "@sequelize/core"],
        Library::Prisma => &["@prisma/client", ".prisma/client"],
        Library::TypeOrm => &["typeorm", "@nestjs/typeorm"],
        Library::Mongoose => &["mongoose", "@nestjs/mongoose", "@typegoose/typegoose"],
        Library::MongoDb => &["mongodb", "mongoose"],
        Library::Knex => &["knex", "objection"],
        Library::Pg => &["pg", "pg-pool", "postgres"],
        Library::Mysql2 => &["mysql2", "mysql", "mysql2/promise"],
        Library::Objection => &["objection"],
        Library::Bookshelf => &["bookshelf"],
        Library::Orm | Library::Sql => &[],
    }
}

/// Every data library's modules.
const ALL: &[Library] = &[
    Library::Sequelize,
    Library::Prisma,
    Library::TypeOrm,
    Library::Mongoose,
    Library::MongoDb,
    Library::Knex,
    Library::Pg,
    Library::Mysql2,
    Library::Objection,
    Library::Bookshelf,
];

/// May a rewrite use `library`'s own methods? Not for an unknown ORM; not when the program
/// imports data libraries and none of them is `library` (its calls were guessed by shape).
/// A snippet that imports no data library at all is taken at its word.
pub fn may_use(ctx: &Context, library: Library) -> bool {
    if matches!(library, Library::Orm) {
        return false;
    }
    if matches!(library, Library::Sql) {
        return true;
    }
    let facts = &ctx.program.app_facts;
    let own = modules(library);
    if facts.imports_any(|m| own.contains(&m)) {
        return true;
    }
    !facts.imports_any(|m| ALL.iter().any(|l| modules(*l).contains(&m)))
}

/// The library a rewrite may be written for: `library` itself when [`may_use`] allows it; for
/// an unknown ORM, the one model library (Sequelize or Mongoose) the program imports.
pub fn resolve(ctx: &Context, library: Library) -> Option<Library> {
    if library == Library::Orm {
        let facts = &ctx.program.app_facts;
        let sequelize = facts.imports_any(|m| modules(Library::Sequelize).contains(&m));
        let mongoose = facts.imports_any(|m| modules(Library::Mongoose).contains(&m));
        return match (sequelize, mongoose) {
            (true, false) => Some(Library::Sequelize),
            (false, true) => Some(Library::Mongoose),
            _ => None,
        };
    }
    may_use(ctx, library).then_some(library)
}
