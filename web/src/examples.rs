//! The examples the editor offers: the seed's scenarios, each in the framework and data
//! library a reader is likely to use. Rules that do not exist yet simply find nothing.

/// One example: an id (the `<option>` value), its title, the file name it is analysed as
/// (which picks JS or TS) and its code.
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub file: &'static str,
    pub code: &'static str,
    /// The rules it shows: each must report on it (a unit test checks).
    #[cfg_attr(not(test), allow(dead_code))]
    pub rules: &'static [&'static str],
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "n-plus-one-express",
        title: "N+1 queries — Express + Sequelize (seed 3.1)",
        file: "playground.js",
        code: "\
app.get('/api/users', async (req, res) => {
  const users = await User.findAll(); // 1 query

  for (const user of users) {
    // N additional queries (1 per user)
    user.posts = await Post.findAll({ where: { userId: user.id } });
  }

  res.json(users);
});
",
        rules: &["n-plus-one-query"],
    },
    Example {
        id: "n-plus-one-fastify",
        title: "N+1 queries — Fastify + Prisma",
        file: "playground.js",
        code: "\
import Fastify from 'fastify';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const fastify = Fastify({ logger: true });

fastify.get('/api/users', async (request, reply) => {
  const users = await prisma.user.findMany();

  for (const user of users) {
    user.posts = await prisma.post.findMany({ where: { authorId: user.id } });
  }

  return users;
});

await fastify.listen({ port: 3000 });
",
        rules: &["n-plus-one-query"],
    },
    Example {
        id: "n-plus-one-nestjs",
        title: "N+1 queries — NestJS + TypeORM",
        file: "playground.ts",
        code: "\
import { Controller, Get, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User, Post } from './entities';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Post) private readonly posts: Repository<Post>,
  ) {}

  async findAllWithPosts(): Promise<User[]> {
    const users = await this.users.find();
    for (const user of users) {
      user.posts = await this.posts.find({ where: { authorId: user.id } });
    }
    return users;
  }
}

@Controller('users')
export class UsersController {
  constructor(private readonly usersService: UsersService) {}

  @Get()
  findAll(): Promise<User[]> {
    return this.usersService.findAllWithPosts();
  }
}
",
        rules: &["n-plus-one-query"],
    },
    Example {
        id: "n-plus-one-koa",
        title: "N+1 queries — Koa + Mongoose",
        file: "playground.js",
        code: "\
const Koa = require('koa');
const Router = require('@koa/router');
const mongoose = require('mongoose');

const User = mongoose.model('User', new mongoose.Schema({ name: String }));
const Post = mongoose.model('Post', new mongoose.Schema({ userId: String, title: String }));

const app = new Koa();
const router = new Router();

router.get('/api/users', async (ctx) => {
  const users = await User.find().lean();
  for (const user of users) {
    user.posts = await Post.find({ userId: user._id }).lean();
  }
  ctx.body = users;
});

app.use(router.routes());
app.listen(3000);
",
        rules: &["n-plus-one-query"],
    },
    Example {
        id: "blocking-crypto",
        title: "Blocking crypto — pbkdf2Sync in a login handler",
        file: "playground.js",
        code: "\
const crypto = require('crypto');
const express = require('express');

const app = express();
app.use(express.json());

app.post('/api/login', async (req, res) => {
  const { email, password } = req.body;
  const user = await User.findOne({ where: { email } });
  if (!user) return res.status(401).json({ error: 'invalid credentials' });

  // Blocks the event loop for every other request while it hashes.
  const hash = crypto.pbkdf2Sync(password, user.salt, 100000, 64, 'sha512').toString('hex');
  if (hash !== user.passwordHash) return res.status(401).json({ error: 'invalid credentials' });

  res.json({ token: issueToken(user) });
});
",
        rules: &["blocking-call-in-handler"],
    },
    Example {
        id: "quadratic-find",
        title: "O(n²) lookup — find() inside map() (seed 4.1)",
        file: "playground.js",
        code: "\
app.get('/api/users/activity', async (req, res) => {
  const users = await User.findAll();
  const userData = await Activity.findAll();

  // For every user, a linear search through all the activity rows.
  const result = users.map(u => ({
    ...u,
    data: userData.find(d => d.userId === u.id),
  }));

  res.json(result);
});
",
        rules: &["quadratic-lookup"],
    },
    Example {
        id: "sequential-awaits",
        title: "Sequential awaits — three independent queries (seed 5.1)",
        file: "playground.js",
        code: "\
async function getUserData(userId) {
  const user = await User.findByPk(userId); // 50ms
  const posts = await Post.findAll({ where: { userId } }); // 80ms
  const comments = await Comment.findAll({ where: { userId } }); // 60ms

  return { user, posts, comments };
}

app.get('/api/users/:id/overview', async (req, res) => {
  res.json(await getUserData(req.params.id));
});
",
        rules: &["sequential-awaits"],
    },
    Example {
        id: "cache-without-invalidation",
        title: "Cache never invalidated — Fastify + Prisma + Redis (seed 3.2)",
        file: "playground.js",
        code: "\
import Fastify from 'fastify';
import Redis from 'ioredis';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const redis = new Redis();
const fastify = Fastify();

fastify.get('/api/products/:id', async (request) => {
  const cached = await redis.get(`product:${request.params.id}`);
  if (cached) return JSON.parse(cached);
  const product = await prisma.product.findUnique({ where: { id: request.params.id } });
  await redis.setex(`product:${request.params.id}`, 3600, JSON.stringify(product));
  return product;
});

// Updates the product but leaves the cached copy: readers see stale data for an hour.
fastify.patch('/api/products/:id', async (request) => {
  return prisma.product.update({ where: { id: request.params.id }, data: request.body });
});

await fastify.listen({ port: 3000 });
",
        rules: &["cache-without-invalidation"],
    },
    Example {
        id: "unbounded-query",
        title: "Unbounded query — a whole collection per request (Fastify + Mongoose)",
        file: "playground.js",
        code: "\
import Fastify from 'fastify';
import mongoose from 'mongoose';

const Comment = mongoose.model('Comment', new mongoose.Schema({ postId: String, text: String, createdAt: Date }));
const app = Fastify();

app.get('/api/comments', async (request) => {
  // Every comment of the post, however many there are: no limit, no paging.
  const comments = await Comment.find({ postId: request.query.postId }).sort({ createdAt: -1 });
  return comments;
});

await app.listen({ port: 3000 });
",
        rules: &["unbounded-query"],
    },
    Example {
        id: "missing-compression-rate-limit",
        title: "No compression, no rate limit — an Express app (seed 6)",
        file: "playground.js",
        code: "\
const express = require('express');
const { Product } = require('./models');

const app = express();
app.use(express.json());

app.get('/api/products', async (req, res) => {
  const products = await Product.findAll({ limit: 100 });
  res.json(products);
});

app.post('/api/login', async (req, res) => {
  const user = await login(req.body.email, req.body.password);
  res.json({ token: user.token });
});

app.listen(3000);
",
        rules: &["missing-compression", "missing-rate-limit"],
    },
    Example {
        id: "sequential-awaits-koa",
        title: "Sequential awaits — two independent queries (Koa)",
        file: "playground.js",
        code: "\
const Koa = require('koa');
const Router = require('koa-router');

const app = new Koa();
const router = new Router({ prefix: '/api' });

router.get('/home', async (ctx) => {
  // Two independent round trips, one after the other.
  const banner = await Banner.findOne({ where: { page: 'home' } });
  const featured = await Product.findAll({ where: { featured: true }, limit: 10 });
  ctx.body = { banner, featured };
});

app.use(router.routes());
app.listen(3000);
",
        rules: &["sequential-awaits"],
    },
];

/// `params` with the rules `example` shows turned on by name where they would not run (a rule
/// off by default until its blind precision reaches 80 %): loading an example shows what it is
/// about, and the argument string (`rules:"n-plus-one-query"`) says how.
pub fn with_its_rules(example: &Example, mut params: backlens_core::Params) -> backlens_core::Params {
    for m in backlens_core::rules::catalog() {
        if example.rules.contains(&m.id) && !params.runs_rule(m.id, m.category) {
            params.rules.push(m.id.to_string());
        }
    }
    params
}

/// The example with `id`.
pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use backlens_core::{analyze, Params, SourceFile};

    #[test]
    fn every_example_parses_and_ids_are_unique() {
        for (i, example) in EXAMPLES.iter().enumerate() {
            assert!(EXAMPLES[..i].iter().all(|e| e.id != example.id), "duplicate id {}", example.id);
            let analysis = analyze(&[SourceFile::new(example.file, example.code)], &Params::default());
            assert!(analysis.files.iter().all(|f| f.error.is_none()), "{} does not parse", example.id);
        }
    }

    #[test]
    fn every_example_shows_its_rules() {
        for example in EXAMPLES {
            assert!(!example.rules.is_empty(), "{} names no rule", example.id);
            let params = with_its_rules(example, Params::default());
            let analysis = analyze(&[SourceFile::new(example.file, example.code)], &params);
            for rule in example.rules {
                assert!(
                    analysis.findings.iter().any(|f| f.rule == *rule),
                    "{}: no {rule} finding; found {:?}",
                    example.id,
                    analysis.findings.iter().map(|f| f.rule).collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn the_seeds_scenarios_are_covered_in_several_frameworks() {
        let shown = |rule: &str| EXAMPLES.iter().filter(|e| e.rules.contains(&rule)).count();
        for rule in [
            "n-plus-one-query",
            "sequential-awaits",
            "quadratic-lookup",
            "cache-without-invalidation",
            "blocking-call-in-handler",
            "missing-compression",
            "missing-rate-limit",
            "unbounded-query",
        ] {
            assert!(shown(rule) > 0, "no example shows {rule}");
        }
        for framework in ["express", "fastify", "koa", "nestjs"] {
            assert!(
                EXAMPLES.iter().any(|e| {
                    let a = analyze(&[SourceFile::new(e.file, e.code)], &Params::default());
                    a.framework.as_deref() == Some(framework)
                }),
                "no {framework} example"
            );
        }
    }
}
