const { models } = require('../../sequelize');

exports.list = async (req, res) => {
  res.json(await models.instrument.findAll({ include: models.orchestra })); // expect: unbounded-query
};
