import type { Request, Response } from 'express';
import { recentOrders } from '@/orders/orders.repository';

export async function listOrders(req: Request, res: Response) {
  res.json(await recentOrders(20));
}
