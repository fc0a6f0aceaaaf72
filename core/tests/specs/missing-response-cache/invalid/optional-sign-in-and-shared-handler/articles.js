const mongoose = require('mongoose');
const Article = mongoose.model('Article');

exports.index = async function (req, res) {
  const page = (req.query.page > 0 ? req.query.page : 1) - 1;
  const limit = 15;
  const articles = await Article.find({}).sort({ createdAt: -1 }).limit(limit).skip(limit * page);
  const count = await Article.countDocuments();
  res.render('articles/index', { articles, page: page + 1, pages: Math.ceil(count / limit) });
};
