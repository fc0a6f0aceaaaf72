const { User } = require('../models');
exports.findByIds = async (ids, networkId) => User.findAll({ where: { id: ids, networkId } });
