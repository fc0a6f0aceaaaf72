// A queue processor (outline's server/queues/processors) no route reaches: two reads in
// series cost an event a round trip, no request any latency.
const { Document, Subscription } = require('../../models');

class BacklinksProcessor {
  async perform(event) {
    const document = await Document.findByPk(event.documentId);
    const subscriptions = await Subscription.findAll({ where: { documentId: event.documentId }, limit: 100 });
    return { document, subscriptions };
  }
}

module.exports = BacklinksProcessor;
