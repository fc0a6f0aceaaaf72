// A service layer of plain modules (hapi_app): a derived value and a log line between two
// independent awaits do not make them dependent.
const { map } = require('lodash');
const userRepo = require('../repositories/user');
const networkService = require('./network');
const logger = require('../shared/logger')('CORE/service/user');

exports.listUsersWithNetworkScope = async (payload, message) => {
  logger.debug('Listing users with network scope', { payload, message });
  const users = await userRepo.findByIds(payload.userIds, payload.networkId); // expect: sequential-awaits
  const userIds = map(users, 'id');
  logger.debug('found users', { count: userIds.length });
  const network = await networkService.get({ networkId: payload.networkId }, message);
  return { users, userIds, network };
};
