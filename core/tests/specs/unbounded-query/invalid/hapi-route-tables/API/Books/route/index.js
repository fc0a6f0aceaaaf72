const Books = require('./BooksRoute');

module.exports = [
  { method: 'POST', path: '/Books/find', config: Books.find },
  { method: 'POST', path: '/Books/findById', config: Books.findById },
];
