const networkRepo = require('../repositories/network');
const logger = require('../shared/logger')('CORE/service/network');
exports.get = async (payload, message) => {
  logger.debug('Retrieving single network', { payload, message });
  const network = await networkRepo.findNetworkById(payload.networkId);
  if (!network) logger.error(new Error('Network not found'));
  return network;
};
