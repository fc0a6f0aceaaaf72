import express, { Request, Response } from 'express';

const app = express();

app.post('/api/simulate', (req: Request, res: Response) => {
  const steps: number = req.body.steps;
  const state = { x: 0, v: 1 };
  for (let t = 0; t < steps; t++) { // expect: cpu-heavy-handler
    state.v -= state.x * 0.01;
    state.x += state.v * 0.01;
  }
  res.json(state);
});
