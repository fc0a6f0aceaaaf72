//! Program-model tests: routes per framework, call classification, request paths.

use super::*;
use crate::parse::parse;
use crate::SourceFile;

pub(super) fn parsed(files: &[(&str, &str)]) -> Vec<Parsed> {
    files.iter().map(|(p, t)| parse(&SourceFile::new(*p, *t))).collect()
}

pub(super) fn routes(files: &[(&str, &str)]) -> Vec<String> {
    let parsed = parsed(files);
    for p in &parsed {
        assert!(p.error.is_none(), "{}: {:?}", p.path, p.error);
    }
    let program = Program::build(&parsed);
    let mut out: Vec<String> = program
        .routes
        .iter()
        .map(|r| {
            let handler = r
                .handler
                .map(|h| program.functions[h].name.clone().unwrap_or_else(|| "<anonymous>".into()))
                .unwrap_or_else(|| "?".into());
            format!("{} {} {} -> {}", r.framework.as_str(), r.method, r.path, handler)
        })
        .collect();
    out.sort();
    out
}

/// `file:line kind [endpoints]` for every call that reaches something known.
pub(super) fn accesses(files: &[(&str, &str)]) -> Vec<String> {
    let parsed = parsed(files);
    let program = Program::build(&parsed);
    program
        .calls
        .iter()
        .filter(|c| c.kind != CallKind::Other)
        .map(|c| {
            let file = program.file(c.file);
            let kind = match &c.kind {
                CallKind::Query(q) => format!(
                    "query {} {}{}",
                    q.library.as_str(),
                    q.operation,
                    q.model.as_ref().map(|m| format!(" {m}")).unwrap_or_default()
                ),
                other => format!("{other:?}"),
            };
            let mut eps: Vec<String> =
                program.routes_reaching(c.function).iter().map(|&r| program.routes[r].label()).collect();
            eps.sort();
            format!("{}:{} {} [{}]", file.path, file.position(c.span.lo).0, kind, eps.join(", "))
        })
        .collect()
}

#[test]
fn express_app_routers_and_route_chains() {
    let app = r#"
const express = require('express');
const users = require('./routes/users');
const app = express();
app.get('/health', (req, res) => res.json({ ok: true }));
app.use('/api/users', users);
app.route('/api/items').get(listItems).post(createItem);
function listItems(req, res) {}
async function createItem(req, res) {}
app.listen(3000);
"#;
    let users = r#"
const router = require('express').Router();
router.get('/', async (req, res) => { res.json(await User.findAll()); });
router.get('/:id', getUser);
async function getUser(req, res) { res.json(await User.findByPk(req.params.id)); }
module.exports = router;
"#;
    assert_eq!(
        routes(&[("src/app.js", app), ("src/routes/users.js", users)]),
        [
            "express GET /api/items -> listItems",
            "express GET /api/users -> <anonymous>",
            "express GET /api/users/:id -> getUser",
            "express GET /health -> <anonymous>",
            "express POST /api/items -> createItem",
        ]
    );
}

#[test]
fn fastify_shorthand_route_and_prefixed_plugins() {
    let app = r#"
import Fastify from 'fastify';
import postRoutes from './posts.js';
const fastify = Fastify();
fastify.get('/ping', async (request, reply) => 'pong');
fastify.route({ method: ['GET', 'HEAD'], url: '/status', handler: async () => ({}) });
fastify.register(postRoutes, { prefix: '/api/posts' });
"#;
    let posts = r#"
export default async function postRoutes(fastify, opts) {
  fastify.get('/', async (request, reply) => fastify.prisma.post.findMany());
  fastify.post('/', createPost);
}
async function createPost(request, reply) {}
"#;
    assert_eq!(
        routes(&[("app.mjs", app), ("posts.js", posts)]),
        [
            "fastify GET /api/posts -> <anonymous>",
            "fastify GET /ping -> <anonymous>",
            "fastify GET /status -> handler",
            "fastify HEAD /status -> handler",
            "fastify POST /api/posts -> createPost",
        ]
    );
}

#[test]
fn koa_router() {
    let src = r#"
const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router();
router.get('/users/:id', async (ctx) => { ctx.body = await User.findByPk(ctx.params.id); });
router.post('/users', async (ctx) => {});
app.use(router.routes());
"#;
    assert_eq!(routes(&[("koa.js", src)]), ["koa GET /users/:id -> <anonymous>", "koa POST /users -> <anonymous>"]);
}

#[test]
fn koa_router_prefixes_and_fastify_plugin_wrappers() {
    let koa = r#"
const Router = require('koa-router');
const api = new Router({ prefix: '/api' });
const users = new Router();
users.get('/:id', async (ctx) => {});
api.use('/users', users.routes());
"#;
    assert_eq!(routes(&[("koa.js", koa)]), ["koa GET /api/users/:id -> <anonymous>"]);
    let app = "const fastify = require('fastify')();\nfastify.register(require('./plugin'), { prefix: '/v1' });\n";
    let plugin = "const fp = require('fastify-plugin');\nmodule.exports = fp(async function (fastify) {\n  fastify.get('/items', async (request, reply) => []);\n});\n";
    assert_eq!(routes(&[("app.js", app), ("plugin.js", plugin)]), ["fastify GET /v1/items -> <anonymous>"]);
}

#[test]
fn nestjs_controllers_and_injected_services() {
    let controller = r#"
import { Controller, Get, Param } from '@nestjs/common';
import { UsersService } from './users.service';
@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}
  @Get()
  findAll() { return this.usersService.findAll(); }
  @Get(':id')
  findOne(@Param('id') id: string) { return this.usersService.findOne(+id); }
}
"#;
    let service = r#"
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private usersRepository: Repository<User>) {}
  findAll(): Promise<User[]> { return this.usersRepository.find(); }
  findOne(id: number) { return this.usersRepository.findOneBy({ id }); }
}
"#;
    let files = [("users.controller.ts", controller), ("users.service.ts", service)];
    assert_eq!(
        routes(&files),
        ["nestjs GET /users -> UsersController.findAll", "nestjs GET /users/:id -> UsersController.findOne"]
    );
    assert_eq!(
        accesses(&files),
        [
            "users.service.ts:8 query TypeORM find [GET /users]",
            "users.service.ts:9 query TypeORM findOneBy [GET /users/:id]"
        ]
    );
}

#[test]
fn hapi_routes_single_and_arrays() {
    let src = r#"
const Hapi = require('@hapi/hapi');
const server = Hapi.server({ port: 3000 });
server.route({ method: 'GET', path: '/users', handler: async (request, h) => User.find() });
server.route([
  { method: 'POST', path: '/users', handler: createUser },
  { method: '*', path: '/any', options: { handler: (request, h) => 'x' } },
]);
function createUser(request, h) {}
"#;
    assert_eq!(
        routes(&[("server.js", src)]),
        ["hapi ALL /any -> handler", "hapi GET /users -> handler", "hapi POST /users -> createUser"]
    );
}

#[test]
fn classifies_data_access_per_library() {
    let src = r#"
const { Pool } = require('pg');
const pool = new Pool();
const mysql = require('mysql2/promise');
const knex = require('knex')({ client: 'pg' });
const { PrismaClient } = require('@prisma/client');
const prisma = new PrismaClient();
const Redis = require('ioredis');
const redis = new Redis();
const axios = require('axios');
const fs = require('fs');
const crypto = require('crypto');
const { MongoClient } = require('mongodb');
const client = new MongoClient(url);
const db = client.db('shop');
async function all(id) {
  await pool.query('SELECT * FROM users WHERE id = $1', [id]);
  const conn = await mysql.createConnection({});
  await conn.execute('SELECT 1');
  await knex('users').where({ id }).first();
  await prisma.user.findUnique({ where: { id } });
  await redis.get(`user:${id}`);
  await axios.get('https://example.com');
  await fetch('https://example.com');
  fs.readFileSync('x');
  crypto.pbkdf2Sync('a', 'b', 1, 1, 'sha1');
  await db.collection('users').find({}).toArray();
  await User.findAll();
  await Post.findById(id).populate('author');
}
"#;
    assert_eq!(
        accesses(&[("all.js", src)]),
        [
            "all.js:17 query node-postgres query []",
            "all.js:19 query mysql2 execute []",
            "all.js:20 query Knex first users []",
            "all.js:21 query Prisma findUnique user []",
            "all.js:22 Cache { op: \"get\" } []",
            "all.js:23 Http { client: \"axios\" } []",
            "all.js:24 Http { client: \"fetch\" } []",
            "all.js:25 Fs { op: \"readFileSync\", sync: true } []",
            "all.js:26 Cpu { op: \"pbkdf2Sync\" } []",
            "all.js:27 query MongoDB find users []",
            "all.js:28 query Sequelize findAll User []",
            "all.js:29 query Mongoose findById Post []",
        ]
    );
}

#[test]
fn helpers_in_other_files_are_on_the_request_path() {
    let app = r#"
import express from 'express';
import { loadFeed } from './feed.js';
const app = express();
app.get('/api/feed', async (req, res) => res.json(await loadFeed(req.user)));
app.get('/api/other', (req, res) => res.send('x'));
"#;
    let feed = r#"
import { authorOf } from './authors.js';
export async function loadFeed(user) {
  const posts = await Post.findAll({ limit: 50 });
  return Promise.all(posts.map((p) => authorOf(p)));
}
"#;
    let authors = r#"
export const authorOf = async (post) => User.findByPk(post.userId);
"#;
    assert_eq!(
        accesses(&[("app.js", app), ("feed.js", feed), ("authors.js", authors)]),
        [
            "feed.js:4 query Sequelize findAll Post [GET /api/feed]",
            "authors.js:2 query Sequelize findByPk User [GET /api/feed]"
        ]
    );
}

#[test]
fn iterations_track_items_dependence_and_promise_all() {
    let src = r#"
async function f(users, cursor) {
  for (const user of users) { await Post.findAll({ where: { userId: user.id } }); }
  await Promise.all(users.map(async (u) => Post.findAll({ where: { userId: u.id } })));
  while (cursor) { const page = await Post.findAll({ where: { id: cursor } }); cursor = page.next; }
  for (let i = 0; i < 10; i++) { const rows = await Job.findAll(); if (!rows.length) break; }
}
"#;
    let parsed = parsed(&[("f.js", src)]);
    let program = Program::build(&parsed);
    let queries: Vec<&CallSite> = program.calls.iter().filter(|c| matches!(c.kind, CallKind::Query(_))).collect();
    assert_eq!(queries.len(), 4);
    let inner = |c: &CallSite| program.iterations_of(c).next().cloned().unwrap();
    let a = inner(queries[0]);
    assert_eq!(a.kind, IterationKind::Loop("for…of"));
    assert!(a.item_names.contains(&"user".to_string()) && !a.dependent);
    let b = inner(queries[1]);
    assert_eq!(b.kind, IterationKind::Callback("map".into()));
    assert!(b.in_promise_all && b.item_names.contains(&"u".to_string()));
    assert!(inner(queries[2]).dependent, "cursor pagination");
    assert!(inner(queries[3]).dependent, "stops on the result");
}

#[test]
fn prisma_client_from_named_import() {
    let src = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nasync function f(a) { for (const x of a) { await prisma.book.findMany({ where: { authorId: x.id } }); } }\n";
    assert_eq!(accesses(&[("p.mjs", src)]), ["p.mjs:3 query Prisma findMany book []"]);
}

#[test]
fn clients_exported_by_project_modules_are_clients_where_imported() {
    let files = [
        ("config/database.js", "const knex = require('knex')({ client: 'mysql' });\nmodule.exports = { DB: knex };\n"),
        ("config/pool.js", "const { Pool } = require('pg');\nexports.pool = new Pool();\n"),
        ("config/cache.mjs", "import Redis from 'ioredis';\nexport const cache = new Redis();\n"),
        ("config/prisma.mjs", "import { PrismaClient } from '@prisma/client';\nexport default new PrismaClient();\n"),
        ("config/again.js", "const { DB } = require('./database');\nmodule.exports = DB;\n"),
        (
            "use.mjs",
            "import { DB } from './config/database.js';\nimport { pool } from './config/pool.js';\n\
             import { cache } from './config/cache.mjs';\nimport prisma from './config/prisma.mjs';\n\
             import again from './config/again.js';\n\
             export async function f(id) {\n\
             await DB('users').where({ id }).first();\n\
             await pool.query('SELECT * FROM t WHERE id = $1', [id]);\n\
             await cache.get(id);\n\
             await prisma.user.findUnique({ where: { id } });\n\
             await again('posts').where({ id });\n}\n",
        ),
    ];
    let found: Vec<String> = accesses(&files).into_iter().filter(|a| a.starts_with("use.mjs")).collect();
    assert_eq!(
        found,
        vec![
            "use.mjs:7 query Knex first users []",
            "use.mjs:8 query node-postgres query []",
            "use.mjs:9 Cache { op: \"get\" } []",
            "use.mjs:10 query Prisma findUnique user []",
            "use.mjs:11 query Knex where posts []",
        ]
    );
}

#[test]
fn a_project_modules_own_methods_are_user_code_not_an_orm() {
    let user = "module.exports = User;\nfunction User(name) { this.name = name; }\n\
                User.count = function (fn) { fn(null, 2); };\n";
    let orm = "const { Model } = require('sequelize');\nclass Post extends Model {}\nmodule.exports = Post;\n";
    let app = "const User = require('./user');\nconst Post = require('./post');\n\
               async function h() {\n  User.count(() => {});\n  await Post.count();\n}\n";
    let found = accesses(&[("user.js", user), ("post.js", orm), ("app.js", app)]);
    // `User.count` is the file's own function; `Post.count` is inherited from Sequelize's Model.
    assert_eq!(found, vec!["app.js:5 query Sequelize count Post []"]);
}

#[test]
fn scoped_path_aliases_and_workspace_packages_resolve_to_project_files() {
    // Outline's tsconfig `paths` (`@server/*` → `server/*`) and a monorepo's workspace
    // package imported by name (`@acme/lib/…` → `packages/lib/…`); npm scopes stay packages.
    let routes = r#"
import Router from 'koa-router';
import { Injectable } from '@nestjs/common';
import documentDuplicator from '@server/commands/documentDuplicator';
import { listTeams } from '@acme/lib/server-only/teams';
const router = new Router();
router.post('documents.duplicate', async (ctx) => { ctx.body = await documentDuplicator(ctx.request.body.id); });
router.post('teams.list', async (ctx) => { ctx.body = await listTeams(); });
"#;
    let duplicator = r#"
export default async function documentDuplicator(id) {
  return Document.findByPk(id);
}
"#;
    let teams = r#"
export const listTeams = async () => Team.findAll({ limit: 20 });
"#;
    assert_eq!(
        accesses(&[
            ("server/routes/documents.ts", routes),
            ("server/commands/documentDuplicator.ts", duplicator),
            ("packages/lib/server-only/teams.ts", teams),
        ]),
        [
            "server/commands/documentDuplicator.ts:3 query Sequelize findByPk Document [POST /documents.duplicate]",
            "packages/lib/server-only/teams.ts:2 query Sequelize findAll Team [POST /teams.list]"
        ]
    );
}

#[test]
fn an_alias_of_module_exports_exports_what_is_assigned_to_it() {
    // NodeBB's namespaces: `const Write = module.exports; Write.categories = require(…)`, and
    // controllers as `Categories.setWatchState = async (req, res) => …` on such an alias.
    let index = "const Controllers = module.exports;\nControllers.write = require('./write');\n\
                 Controllers.home = async function (req, res) { res.json(await db.query('SELECT 1')); };\n";
    let write = "'use strict';\nconst Write = module.exports;\nWrite.categories = require('./categories');\n";
    let categories = "const Categories = module.exports;\n\
                      Categories.watch = async (req, res) => { res.json(await Categories.load(req.params.cid)); };\n\
                      Categories.load = async (cid) => db.query('SELECT * FROM c WHERE cid = $1', [cid]);\n";
    let db = "const { Pool } = require('pg');\nmodule.exports = new Pool();\n";
    let routes = "const express = require('express');\nconst db = require('../db');\n\
                  const controllers = require('../controllers');\nconst router = express.Router();\n\
                  router.get('/home', tryRoute(controllers.home));\n\
                  router.put('/categories/:cid/watch', controllers.write.categories.watch);\n";
    let home = "const db = require('../db');\n";
    let files = [
        ("src/controllers/index.js", &*format!("{home}{index}")),
        ("src/controllers/write/index.js", write),
        ("src/controllers/write/categories.js", &*format!("const db = require('../../db');\n{categories}")),
        ("src/db.js", db),
        ("src/routes/index.js", routes),
    ];
    assert_eq!(
        super::tests::routes(&files),
        ["express GET /home -> home", "express PUT /categories/:cid/watch -> watch"]
    );
    // The file's own call through the alias (`Categories.load`) is followed too.
    let found: Vec<String> = accesses(&files).into_iter().filter(|a| a.contains("categories.js")).collect();
    assert_eq!(found, ["src/controllers/write/categories.js:4 query node-postgres query [PUT /categories/:cid/watch]"]);
}

#[test]
fn a_wrapper_mapping_a_modules_functions_keeps_their_names() {
    // growthbook: `const featuresController = wrapController(featuresControllerRaw)`, where
    // the wrapper builds a new object from the module's keys.
    let wrap = "export function wrapController(controller) {\n  const out = {};\n\
                Object.keys(controller).forEach((k) => { out[k] = async (req, res) => controller[k](req, res); });\n\
                return out;\n}\n";
    let controller = "export async function getFeatures(req, res) { res.json(await Feature.find({ org: req.org }).limit(20)); }\n";
    let app = "import express from 'express';\nimport * as raw from './controllers/features';\n\
               import { wrapController } from './wrapController';\nconst features = wrapController(raw);\n\
               const app = express();\napp.get('/features', features.getFeatures);\n";
    assert_eq!(
        super::tests::routes(&[("src/wrapController.ts", wrap), ("src/controllers/features.ts", controller), ("src/app.ts", app)]),
        ["express GET /features -> getFeatures"]
    );
}

#[test]
fn a_knex_clause_added_in_a_statement_runs_no_query() {
    // kutt's data layer: one builder, a clause per filter entry, one query when awaited.
    let queries = "const knex = require('knex')({ client: 'pg' });\n\
                   async function total(match) {\n  const query = knex('links');\n\
                   Object.entries(match).forEach(([key, value]) => {\n    query.andWhere(key, value);\n  });\n\
                   query.leftJoin('users', 'links.user_id', 'users.id');\n\
                   const [{ count }] = await query.count('* as count');\n  return count;\n}\n\
                   async function each(ids) {\n  for (const id of ids) {\n    await knex('links').where({ id }).del();\n  }\n}\n\
                   function byId(id) {\n  return new Promise((resolve) => {\n    knex('links').where('id', id).then((rows) => resolve(rows[0]));\n  });\n}\n";
    assert_eq!(
        accesses(&[("queries.js", queries)]),
        // (the builder's creation is where the read is counted; its clauses are not queries)
        [
            "queries.js:3 query Knex select links []",
            "queries.js:8 query Knex count []",
            "queries.js:13 query Knex del links []",
            // `then`ed in a statement (chaunnt's `Common.findById`): it runs.
            "queries.js:18 query Knex then links []",
        ]
    );
}
