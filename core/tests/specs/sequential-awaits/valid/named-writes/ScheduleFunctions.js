const OrderResourceAccess = require('./resourceAccess/OrderResourceAccess');

async function cancelUserSchedule(userId, customerScheduleId, reason) {
  return OrderResourceAccess.updateById(customerScheduleId, { status: 'CANCELED', reason, canceledBy: userId });
}

module.exports = { cancelUserSchedule };
