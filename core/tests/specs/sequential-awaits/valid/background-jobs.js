// Background jobs (growthbook's agenda jobs and event notifier, bull queues, node-cron):
// independent reads awaited in series on the scheduler's time cost no request any latency.
const express = require('express');
const cron = require('node-cron');
const app = express();
app.get('/health', (req, res) => res.send('ok'));

async function updateInformationSchema(job) {
  const datasource = await Datasource.findOne({ where: { id: job.attrs.data.datasourceId } });
  const schema = await InformationSchema.findOne({ where: { id: job.attrs.data.schemaId } });
  return { datasource, schema };
}

class EventNotifier {
  constructor(agenda) {
    this.agenda = agenda;
    this.agenda.define('eventCreated', EventNotifier.jobHandler);
  }

  static async jobHandler(job) {
    await notifySlack(job.attrs.data.eventId);
  }
}

async function notifySlack(eventId) {
  const event = await Event.findOne({ where: { id: eventId } });
  const user = await User.findOne({ where: { id: eventId } });
  return { event, user };
}

module.exports = (agenda, emailQueue) => {
  agenda.define('updateInformationSchema', updateInformationSchema);
  emailQueue.process('welcome', async (job) => {
    const user = await User.findOne({ where: { id: job.data.userId } });
    const team = await Team.findOne({ where: { id: job.data.teamId } });
    return [user, team];
  });
  cron.schedule('*/5 * * * *', async () => {
    const users = await User.count();
    const teams = await Team.count();
    return users + teams;
  });
  return new EventNotifier(agenda);
};
