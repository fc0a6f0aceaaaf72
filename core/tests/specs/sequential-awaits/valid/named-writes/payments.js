// From chaunnt/TemplateNodeJS_HapiAndMySQL (API/PaymentGateway/PaymentGatewayFunctions.js and
// CustomerScheduleManager.js): a read of the order, then its update through a resource-access
// helper whose knex call the model cannot see (the instance is exported from a config file).
// A helper named for a write (updateById, cancelUserSchedule) keeps its place: the read must
// see the row before the write.
const OrderResourceAccess = require('./resourceAccess/OrderResourceAccess');
const ScheduleFunctions = require('./ScheduleFunctions');

async function succeedTransaction(receiptData) {
  const successData = { paymentStatus: 'SUCCESS', approveDate: new Date() };
  const orderData = await OrderResourceAccess.findById(receiptData.orderId);
  const updateResult = await OrderResourceAccess.updateById(receiptData.orderId, successData);
  return { before: orderData, updated: updateResult };
}

async function cancelSchedule(userId, customerScheduleId, reason) {
  const existingSchedule = await OrderResourceAccess.findById(customerScheduleId);
  const result = await ScheduleFunctions.cancelUserSchedule(userId, customerScheduleId, reason);
  return { existingSchedule, result };
}

module.exports = { succeedTransaction, cancelSchedule };
