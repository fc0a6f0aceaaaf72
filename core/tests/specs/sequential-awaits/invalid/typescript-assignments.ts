import express, { Request, Response } from 'express';
import got from 'got';

interface Dashboard { weather?: unknown; news?: unknown; quote?: unknown }

export const router = express.Router();
const app = express();
app.use('/widgets', router);

router.get('/', async (req: Request, res: Response) => {
  const dashboard: Dashboard = {};
  dashboard.weather = await got(`https://weather.example/api?city=${req.query.city}`).json(); // expect: sequential-awaits
  dashboard.news = await got('https://news.example/api/top').json();
  dashboard.quote = await got('https://quotes.example/api/today').json();
  res.json(dashboard);
});
