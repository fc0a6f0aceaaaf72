import mysql from 'mysql2/promise';

export async function findOrder(id) {
  const conn = await mysql.createConnection({ host: 'db', user: 'app', database: 'shop' }); // expect: connection-per-request
  const [rows] = await conn.execute('SELECT * FROM orders WHERE id = ?', [id]);
  await conn.end();
  return rows[0];
}
