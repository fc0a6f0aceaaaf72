import express from 'express';
import { countPaths } from './lib/paths';

const app = express();

app.get('/api/routes/:rows/:cols', (req, res) => {
  res.json({ count: countPaths(Number(req.params.rows), Number(req.params.cols)) });
});

app.listen(3000);
