import express from 'express';
import client from 'prom-client';

const httpDuration = new client.Histogram({ name: 'http_request_duration_seconds', help: 'duration', labelNames: ['route'] });
const app = express();
app.use((req, res, next) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => end({ route: req.route?.path ?? req.path }));
  next();
});
