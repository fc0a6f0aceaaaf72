import express from 'express';
import { LIVE_SUBSCRIPTION_STATUSES, SESSION_COLUMNS } from './constants';

enum Plan {
  Free = 'free',
  Team = 'team',
  Enterprise = 'enterprise',
}

const INTERNAL_CLAIM_ID = { FREE: 'free', TEAM: 'team', EARLY_ADOPTER: 'early' };
const columnLabels = { id: 'ID', email: 'E-mail', name: 'Name' };

const app = express();

app.get('/api/subscriptions', async (req, res) => {
  const subscriptions = await stripe.subscriptions.list({ customer: req.query.customer });
  // A constant imported from another module: three statuses.
  const live = subscriptions.data.filter((s) => LIVE_SUBSCRIPTION_STATUSES.includes(s.status));
  // An enum's values and a constant map's keys: a fixed set.
  const paid = live.filter((s) => Object.values(Plan).includes(s.plan));
  const claims = live.filter((s) => Object.values(INTERNAL_CLAIM_ID).includes(s.claim));
  // A fixed column list, and a constant spread into a literal.
  const shown = req.body.columns.filter((c) => Object.keys(columnLabels).includes(c));
  const filters = Object.keys(req.query).find((k) => ['referrer', ...SESSION_COLUMNS].includes(k));
  // A two-element literal of values.
  const mine = live.filter((s) => [req.query.owner, req.query.delegate].includes(s.customer));
  // The fields of one record, and a configured list.
  const headers = Object.keys(subscriptions.data[0]);
  const missing = req.body.required.filter((h) => !headers.includes(h));
  const orgs = live.filter((s) => config.billing.organizations.includes(s.org));
  // The keys of one object.
  for (const key in req.body.patch) {
    if (req.body.readOnly.includes(key)) delete req.body.patch[key];
  }
  res.json({ live, paid, claims, shown, filters, mine, missing, orgs });
});

app.listen(3000);
