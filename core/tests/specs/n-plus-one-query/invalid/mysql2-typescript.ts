import express, { Request, Response } from 'express';
import mysql from 'mysql2/promise';

const app = express();
const pool = mysql.createPool({ host: 'localhost', user: 'app', database: 'shop' });

app.get('/api/carts/:id', async (req: Request, res: Response) => {
  const [items] = await pool.query<any[]>('SELECT * FROM cart_items WHERE cart_id = ?', [req.params.id]);
  for (const item of items as any[]) {
    const [rows] = await pool.execute('SELECT * FROM products WHERE id = ?', [item.product_id]); // expect: n-plus-one-query
    item.product = (rows as any[])[0];
  }
  res.json(items);
});
