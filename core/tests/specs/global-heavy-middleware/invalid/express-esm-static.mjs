// ES modules: express.json and a session ahead of metrics and static files.
import express from 'express';
import session from 'express-session';
import client from 'prom-client';

const app = express();
app.use(express.json()); // expect: global-heavy-middleware
app.use(session({ secret: 'x', resave: false, saveUninitialized: false }));
app.use(express.static('public'));

app.get('/metrics', async (req, res) => {
  res.type(client.register.contentType).send(await client.register.metrics());
});

app.post('/api/orders', (req, res) => res.status(201).json(req.body));
