const { Network } = require('../models');
exports.findNetworkById = async (id) => Network.findOne({ where: { id } });
