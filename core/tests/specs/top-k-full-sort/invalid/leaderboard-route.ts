// backlens-args: items:5000
import express, { Request, Response } from 'express';

const TOP = 5;
const app = express();

app.get('/api/leaderboard', async (req: Request, res: Response) => {
  const players: { name: string; points: number }[] = await Player.findAll();
  const best = players.toSorted((a, b) => b.points - a.points).slice(0, TOP); // expect: top-k-full-sort
  res.json(best);
});

export default app;
