const { models } = require('../../sequelize');

async function getAll(req, res) {
  const users = await models.user.findAll(); // expect: unbounded-query
  res.status(200).json(users);
}

async function getById(req, res) {
  const user = await models.user.findByPk(req.params.id);
  res.status(200).json(user);
}

module.exports = { getAll, getById };
