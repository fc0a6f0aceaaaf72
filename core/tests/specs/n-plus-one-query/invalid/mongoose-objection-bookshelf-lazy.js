// Lazy loading per row in Mongoose (`doc.populate`), Objection (`$relatedQuery`) and
// Bookshelf (`load`).
const express = require('express');
const Article = require('./models/article');
const Person = require('./models/person');
const Book = require('./models/book');

const app = express();

app.get('/api/articles', async (req, res) => {
  const articles = await Article.find({ published: true }).limit(20);
  for (const article of articles) {
    await article.populate('author'); // expect: n-plus-one-query
  }
  res.json(articles);
});

app.get('/api/people', async (req, res) => {
  const people = await Person.query().where('active', true);
  const pets = await Promise.all(people.map((p) => p.$relatedQuery('pets'))); // expect: n-plus-one-query
  res.json({ people, pets });
});

app.get('/api/books', async (req, res) => {
  const books = await Book.where({ shelf: req.query.shelf }).fetchAll();
  for (const book of books) {
    await book.load(['author']); // expect: n-plus-one-query
  }
  res.json(books);
});

app.listen(3000);
