// A queue task (outline's server/queues/tasks): it runs on the worker's time and no route
// reaches it, but a write per subscriber still loads the shared database: reported low, off
// any endpoint (the blind labels count it; its reviewers judged such findings minor).
const { Notification, Subscription } = require('../../models');

class NotificationsTask {
  async perform(event) {
    const subscriptions = await Subscription.findAll({ where: { documentId: event.documentId } });
    for (const subscription of subscriptions) {
      await Notification.create({ userId: subscription.userId, event: event.name }); // expect: n-plus-one-query
    }
  }
}

module.exports = NotificationsTask;
