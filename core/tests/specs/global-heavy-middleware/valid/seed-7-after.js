// The seed's section 7 "AFTER": the heavy middleware lives on the API router only.
const express = require('express');
const bodyParser = require('body-parser');

const app = express();
const authenticate = (req, res, next) => next();

const publicRouter = express.Router();
publicRouter.get('/health', (req, res) => {
  res.json({ status: 'ok' });
});

const apiRouter = express.Router();
apiRouter.use(bodyParser.json());
apiRouter.use(authenticate);
apiRouter.get('/users', async (req, res) => { res.json([]); });

app.use('/api/public', publicRouter);
app.use('/api', apiRouter);
