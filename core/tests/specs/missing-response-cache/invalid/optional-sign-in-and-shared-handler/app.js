// From gothinkster/node-express-realworld-example-app (GET /tags with `auth.optional`: the
// signed-in user is optional, anonymous readers get one shared answer) and
// madhums/node-express-mongoose-demo (one handler on `GET /` and `GET /articles`: each route
// is reported under its own endpoint).
const express = require('express');
const { PrismaClient } = require('@prisma/client');
const auth = require('./auth');
const articles = require('./articles');

const prisma = new PrismaClient();
const app = express();

app.get('/tags', auth.optional, async (req, res, next) => { // expect: missing-response-cache
  try {
    const tags = await prisma.tag.findMany({ where: { articles: { some: {} } }, take: 10, select: { name: true } });
    res.json({ tags: tags.map(t => t.name), signedIn: Boolean(req.auth?.user?.id) });
  } catch (error) {
    next(error);
  }
});

app.get('/articles', articles.index); // expect: missing-response-cache
app.get('/', articles.index); // expect: missing-response-cache

app.listen(3000);
