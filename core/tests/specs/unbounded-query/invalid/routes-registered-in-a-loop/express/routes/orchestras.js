const { models } = require('../../sequelize');

// No getAll: the loop registers only GET /api/orchestras/:id for this module.
async function getById(req, res) {
  const orchestra = await models.orchestra.findByPk(req.params.id);
  res.status(200).json(orchestra);
}

module.exports = { getById };
