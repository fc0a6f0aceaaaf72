// A queue task (outline's server/queues/tasks): it runs on the worker's time, for an event,
// and no route reaches it. A notification per subscriber is a job's work, not a request's.
const { Notification, Subscription } = require('../../models');

class NotificationsTask {
  async perform(event) {
    const subscriptions = await Subscription.findAll({ where: { documentId: event.documentId } });
    for (const subscription of subscriptions) {
      await Notification.create({ userId: subscription.userId, event: event.name });
    }
  }
}

module.exports = NotificationsTask;
